using System.Net;
using Grid.Gateway.Tests.Support;
using Xunit.Abstractions;

namespace Grid.Gateway.Tests.Casts;

/// <summary>
/// Conservation over a random mix of spending stories on one silo (top-ups, casts ended every way, metered sessions
/// paying their hosts and the treasury): money in = balances + host earnings + treasury + money out, to the credit, per
/// paying account and in total, and the journal agrees. The seed is printed; <c>GRID_SPENDING_SEED</c> replays one.
/// </summary>
public sealed class SpendingConservationTests(LedgerSiloFixture silo, ITestOutputHelper output) : IClassFixture<LedgerSiloFixture>
{
    private const int Stories = 1_000;
    private const int Accounts = 20;

    [Fact]
    public async Task After_a_thousand_random_stories_money_in_equals_balances_plus_host_and_treasury_earnings_plus_money_out()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GRID_SPENDING_SEED"), out var given) ? given : Random.Shared.Next();
        output.WriteLine($"GRID_SPENDING_SEED={seed}");
        var random = new Random(seed);
        var api = silo.Api;
        var prefix = $"cons-{seed}-";
        var accounts = new List<string>();
        var moneyIn = new Dictionary<string, long>();
        var charged = new Dictionary<string, long>();
        for (var i = 0; i < Accounts; i++)
        {
            var account = await api.CreateAccountAsync();
            accounts.Add(account);
            moneyIn[account] = 0;
            charged[account] = 0;
        }

        var hosts = new[] { await api.CreateAccountAsync(), await api.CreateAccountAsync(), await api.CreateAccountAsync() };
        var treasuryBefore = await AvailableOrZeroAsync(api, Treasury);
        long sessionCharged = 0;

        for (var story = 0; story < Stories; story++)
        {
            var account = accounts[random.Next(accounts.Count)];
            var castId = $"{prefix}{story}";
            switch (random.Next(10))
            {
                case 0 or 1:
                    var amount = random.Next(1, 500);
                    await api.DepositAsync(account, castId + "-topup", amount);
                    moneyIn[account] += amount;
                    continue;
                case 2:
                    sessionCharged += await SessionStoryAsync(api, random, castId, account, hosts[random.Next(hosts.Length)], charged);
                    continue;
                default:
                    break;
            }

            var quote = random.Next(1, 200);
            var started = await api.PostAsync("/v1/casts", new { operationId = castId, accountId = account, quote, bufferPercent = random.Next(0, 50) });
            if (started.Status == HttpStatusCode.PaymentRequired)
            {
                continue; // not enough credits to hold: refused, nothing moved
            }

            Assert.True(started.Status == HttpStatusCode.Created, started.ToString());
            var held = started.Json.GetProperty("held").GetInt64();
            var ending = random.Next(5) switch
            {
                0 => await api.PostAsync($"/v1/casts/{castId}/fail", new { operationId = castId + "-end", reason = "random failure" }),
                1 => await api.PostAsync($"/v1/casts/{castId}/complete", new { operationId = castId + "-end", providerCost = Math.Round((decimal)random.NextDouble() * held, 3) }),
                2 => await api.PostAsync($"/v1/casts/{castId}/complete", new { operationId = castId + "-end" }),
                3 => await api.PostAsync($"/v1/casts/{castId}/complete", new { operationId = castId + "-end", price = random.Next(0, (int)held * 2 + 1) }),
                _ => await api.PostAsync($"/v1/casts/{castId}/complete", new { operationId = castId + "-end", price = random.Next(0, (int)held + 1) }),
            };
            Assert.True(ending.IsSuccess, ending.ToString());
            if (random.Next(10) == 0)
            {
                // A repeated ending changes nothing.
                var again = ending.Json.GetProperty("status").GetString() == "failed"
                    ? await api.PostAsync($"/v1/casts/{castId}/fail", new { operationId = castId + "-end", reason = "random failure" })
                    : null;
                Assert.True(again is null || again.Text == ending.Text, again?.ToString());
            }

            charged[account] += ending.Json.GetProperty("charged").GetInt64();
        }

        long totalIn = 0, totalLeft = 0, totalOut = 0;
        long hostEarnings = 0;
        foreach (var host in hosts)
        {
            hostEarnings += await AvailableOrZeroAsync(api, host);
        }

        var treasuryEarnings = await AvailableOrZeroAsync(api, Treasury) - treasuryBefore;
        Assert.Equal(sessionCharged, hostEarnings + treasuryEarnings); // what sessions charged went to hosts and treasury, all of it
        foreach (var account in accounts)
        {
            var balance = (await api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance");
            var left = balance.GetProperty("available").GetInt64() + balance.GetProperty("held").GetInt64();
            Assert.Equal(0, balance.GetProperty("held").GetInt64()); // every cast ended
            Assert.True(moneyIn[account] == left + charged[account], $"account {account}: in {moneyIn[account]}, left {left}, charged {charged[account]} (seed {seed})");

            var journal = await api.JournalAsync(account);
            var journalCharged = journal.Sum(e => e.GetProperty("kind").GetString() switch
            {
                "capture" or "debit" => e.GetProperty("amount").GetInt64(),
                _ => 0L,
            });
            Assert.Equal(charged[account], journalCharged);
            totalIn += moneyIn[account];
            totalLeft += left;
            totalOut += charged[account];
        }

        var moneyOut = totalOut - sessionCharged; // casts' charges leave; sessions' stay with hosts and treasury
        output.WriteLine($"in {totalIn} = balances {totalLeft} + hosts {hostEarnings} + treasury {treasuryEarnings} + out {moneyOut}");
        Assert.Equal(totalIn, totalLeft + hostEarnings + treasuryEarnings + moneyOut);
        Assert.True(moneyOut > 0 && totalLeft > 0 && sessionCharged > 0, "the mix moved nothing of some kind: the test tested nothing");
    }

    private const string Treasury = "treasury";

    /// <summary>A metered session: a deposit hold, uneven usage, the end; returns what it charged (also added to the payer's charges).</summary>
    private static async Task<long> SessionStoryAsync(LedgerApi api, Random random, string id, string account, string host, Dictionary<string, long> charged)
    {
        var started = await api.PostAsync("/v1/sessions", new
        {
            operationId = id,
            accountId = account,
            hostAccountId = host,
            deposit = random.Next(50, 600),
            pricePerUnit = random.Next(1, 20) / 10m,
            checkpointUnits = random.Next(20, 300),
        });
        if (started.Status == HttpStatusCode.PaymentRequired)
        {
            return 0;
        }

        Assert.True(started.Status == HttpStatusCode.Created, started.ToString());
        for (var chunk = random.Next(1, 5); chunk > 0; chunk--)
        {
            var usage = await api.PostAsync($"/v1/sessions/{id}/usage", new { operationId = $"{id}-u{chunk}", units = random.Next(1, 400) });
            if (usage.Status == HttpStatusCode.Conflict)
            {
                break; // exhausted: closed by the deposit running out
            }

            Assert.True(usage.IsSuccess, usage.ToString());
        }

        var ended = await api.PostAsync($"/v1/sessions/{id}/end", new { operationId = id + "-end" });
        Assert.True(ended.IsSuccess, ended.ToString());
        Assert.True(ended.Json.GetProperty("pendingLegs").GetInt32() == 0, ended.ToString());
        var cost = ended.Json.GetProperty("charged").GetInt64();
        Assert.Equal(cost, ended.Json.GetProperty("hostEarnings").GetInt64() + ended.Json.GetProperty("treasuryEarnings").GetInt64());
        charged[account] += cost;
        return cost;
    }

    private static async Task<long> AvailableOrZeroAsync(LedgerApi api, string account)
    {
        var response = await api.GetAsync($"/v1/accounts/{account}");
        return response.Status == HttpStatusCode.NotFound ? 0 : response.Json.GetProperty("balance").GetProperty("available").GetInt64();
    }
}
