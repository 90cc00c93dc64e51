using System.Net;
using Grid.Gateway.Tests.Support;
using Xunit.Abstractions;

namespace Grid.Gateway.Tests.Casts;

/// <summary>
/// Conservation over a random mix of spending stories on one silo: every credit that came in is still on an account
/// (available or held) or was charged for work, to the credit, per account and in total; and each account's balance
/// is what its journal adds up to. The seed is printed; <c>GRID_SPENDING_SEED</c> replays one.
/// </summary>
public sealed class SpendingConservationTests(LedgerSiloFixture silo, ITestOutputHelper output) : IClassFixture<LedgerSiloFixture>
{
    private const int Stories = 1_000;
    private const int Accounts = 20;

    [Fact]
    public async Task After_a_thousand_random_stories_money_in_equals_balances_plus_money_out()
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
                _ => 0,
            });
            Assert.Equal(charged[account], journalCharged);
            totalIn += moneyIn[account];
            totalLeft += left;
            totalOut += charged[account];
        }

        output.WriteLine($"in {totalIn} = left {totalLeft} + charged {totalOut}");
        Assert.Equal(totalIn, totalLeft + totalOut);
        Assert.True(totalOut > 0 && totalLeft > 0, "the mix moved nothing: the test tested nothing");
    }
}
