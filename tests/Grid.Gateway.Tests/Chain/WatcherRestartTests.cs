using System.Diagnostics;
using System.Text.Json;
using Grid.Chain.TestKit.Contracts;
using Xunit.Abstractions;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// The silo is killed (SIGKILL) while its watcher catches up on many deposits (intents paid, and refs that name no
/// intent) in small log ranges, twice, and started again on the same data each time. Whatever the kill cut short (a
/// range credited but not yet written down, a payment credited but not yet told it did) is redone without a second
/// credit: every deposit is credited exactly once, none is missed.
/// </summary>
public sealed class WatcherRestartTests(SmallRangeChainSiloFixture fixture, ITestOutputHelper output) : IClassFixture<SmallRangeChainSiloFixture>
{
    private const int Deposits = 40;
    private const int BlocksPerDeposit = 5;

    /// <summary>Each silo but the last is killed while its watcher waits to read the blocks after this deposit.</summary>
    private static readonly int[] KilledAfterDeposit = [11, 25];

    /// <summary>The fixture's ETH rate is 10^6 credits an ETH.</summary>
    private const long WeiPerCredit = 1_000_000_000_000;

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_watcher_killed_mid_catch_up_and_restarted_credits_every_deposit_exactly_once()
    {
        var records = new ChainRecords(fixture);
        var payer = new ChainPayer(fixture.Chain);
        var payers = fixture.Chain.DevAccounts.Skip(1).Take(4).ToArray();

        // Half of them pay intents (asked for while the silo runs), half carry a ref that names none.
        var intents = new Dictionary<int, JsonElement>();
        for (var i = 0; i < Deposits; i += 2)
        {
            intents[i] = await new ChainApi(fixture.Api).IntentAsync(payers[i % payers.Length], "ETH", 10L + i);
        }

        // Made while no silo runs, so the next one starts ~200 blocks behind and catches up 5 blocks a range.
        await fixture.Silo.KillAsync();
        var made = new List<(string Payer, string Transaction, long Credits, string PaymentId)>();
        var blocks = new List<long>();
        for (var i = 0; i < Deposits; i++)
        {
            var from = payers[i % payers.Length];
            var credits = 10L + i;
            if (intents.TryGetValue(i, out var intent))
            {
                made.Add((from, await payer.PayIntentAsync(from, intent), credits, intent.GetProperty("paymentId").GetString()!));
            }
            else
            {
                var tx = await payer.DepositEthAsync(from, credits * WeiPerCredit, ChainDeployment.Reference($"restart-{i}"));
                made.Add((from, tx, credits, ChainRecords.DepositPaymentId(tx)));
            }

            blocks.Add(await fixture.Chain.Client.GetBlockNumberAsync(Ct));
            await fixture.Chain.Client.MineAsync(BlocksPerDeposit - 1, Ct);
        }

        await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations, Ct);
        var transactions = made.Select(m => m.Transaction).ToArray();

        // A gate in the RPC proxy holds the watcher's first read past a given deposit, and the silo is killed then:
        // a cut mid-scan on any machine (left to a race, a fast watcher could finish first).
        var credited = 0;
        for (var kill = 1; kill <= KilledAfterDeposit.Length; kill++)
        {
            var clock = Stopwatch.StartNew();
            var lastRead = KilledAfterDeposit[kill - 1];
            var gate = fixture.Proxy.GateLogRequests(blocks[lastRead] + 1);
            try
            {
                await RestartAsync(waitReady: false);
                await gate.Held.WaitAsync(ChainApi.Patience * 2);
                await fixture.Silo.KillAsync();
            }
            finally
            {
                gate.Release();
            }

            var before = credited;
            credited = (await records.CreditsOfAsync(transactions)).Count;
            output.WriteLine($"kill {kill}: {credited} of {Deposits} credited ({credited - before} by this silo, {clock.ElapsedMilliseconds} ms after its start)");
            Assert.InRange(credited, before, lastRead + 1);
        }

        await RestartAsync(waitReady: true);
        await records.WaitForCreditsAsync(transactions, Deposits);

        // A deposit made after all of them is credited only once the watcher is past them: nothing more comes of those.
        var last = await payer.DepositEthAsync(payers[0], 7 * WeiPerCredit, ChainDeployment.Reference("restart-last"));
        made.Add((payers[0], last, 7, ChainRecords.DepositPaymentId(last)));
        await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations, Ct);
        await records.WaitForCreditsAsync([last], 1);

        var rows = await records.CreditsOfAsync(made.Select(m => m.Transaction));
        Assert.Equal(made.Select(m => (m.Transaction, m.PaymentId)).Order(), rows.Select(r => (r.Transaction, r.PaymentId)).Order());
        Assert.All(rows, r => Assert.Equal(1, r.Generation));
        Assert.Equal(made.Count, (await records.EventsAsync()).Count); // nothing else: no reversal, no other credit

        foreach (var wallet in payers)
        {
            var expected = made.Where(m => m.Payer == wallet)
                .Select(m => (Reference: m.Transaction, Amount: m.Credits, OperationId: $"chain:{m.PaymentId}:credit:1"))
                .OrderBy(e => e.Reference, StringComparer.Ordinal)
                .ToArray();
            var entries = (await records.DepositsAsync(ChainRecords.WalletAccount(wallet)))
                .Select(e => (Reference: e.GetProperty("reference").GetString()!, Amount: e.GetProperty("amount").GetInt64(), OperationId: e.GetProperty("operationId").GetString()!))
                .OrderBy(e => e.Reference, StringComparer.Ordinal)
                .ToArray();
            Assert.Equal(expected, entries);
        }
    }

    /// <summary>Starts the silo again on the same data (the previous one has exited).</summary>
    private async Task RestartAsync(bool waitReady)
    {
        var previous = fixture.Silo;
        fixture.StartSilo();
        await previous.DisposeAsync();
        if (waitReady)
        {
            await fixture.Silo.WaitReadyAsync();
        }
    }
}
