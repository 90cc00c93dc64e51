using System.Diagnostics;
using Grid.Chain.TestKit.Contracts;
using Grid.Chain.TestKit.Proxy;
using Xunit.Abstractions;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// The node behind the watcher misbehaves as hosted providers do: eth_getLogs over too many blocks is refused (in
/// Alchemy's and Infura's words), every few requests are throttled with 429, and the node goes away (502 from the
/// proxy) and comes back with the same chain. The watcher shrinks its ranges, retries, waits, and in the end has
/// credited every deposit exactly once.
/// </summary>
public sealed class RpcFaultTests(ChainSiloFixture fixture, ITestOutputHelper output) : IClassFixture<ChainSiloFixture>
{
    /// <summary>The fixture's ETH rate is 10^6 credits an ETH.</summary>
    private const long WeiPerCredit = 1_000_000_000_000;

    private readonly ChainRecords _records = new(fixture);
    private readonly ChainPayer _payer = new(fixture.Chain);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Range_errors_in_either_wording_and_rate_limits_shrink_the_range_and_every_deposit_is_credited_once()
    {
        var payers = fixture.Chain.DevAccounts.Skip(1).Take(3).ToArray();
        var made = new List<Deposit>();
        var rangeErrors = new Dictionary<LogRangeErrorStyle, long>();
        var proxy = fixture.Proxy;
        var rateLimitsBefore = proxy.RateLimitsServed;
        proxy.MaxLogBlockRange = 4;
        proxy.RateLimitEvery = 5;
        try
        {
            foreach (var style in new[] { LogRangeErrorStyle.Alchemy, LogRangeErrorStyle.Infura })
            {
                proxy.RangeErrorStyle = style;
                var before = proxy.RangeErrorsServed;
                var ofStyle = new List<Deposit>();
                for (var i = 0; i < 6; i++)
                {
                    // Eleven blocks at once after each deposit: every tick finds more blocks than the node serves.
                    var from = payers[i % payers.Length];
                    var credits = 100L + made.Count;
                    var tx = await _payer.DepositEthAsync(from, credits * WeiPerCredit, ChainDeployment.Reference($"faults-{style}-{i}"));
                    ofStyle.Add(new Deposit(from, tx, credits));
                    await fixture.Chain.Client.MineAsync(11, Ct);
                }

                await _records.WaitForCreditsAsync([.. ofStyle.Select(d => d.Transaction)], ofStyle.Count);
                rangeErrors[style] = proxy.RangeErrorsServed - before;
                made.AddRange(ofStyle);
            }
        }
        finally
        {
            proxy.MaxLogBlockRange = null;
            proxy.RateLimitEvery = null;
        }

        output.WriteLine($"range errors: {string.Join(", ", rangeErrors.Select(e => $"{e.Key} {e.Value}"))}; 429s: {proxy.RateLimitsServed - rateLimitsBefore}");
        Assert.All(rangeErrors, e => Assert.True(e.Value > 0, $"no {e.Key} range error was served: the test tested nothing"));
        Assert.True(proxy.RateLimitsServed > rateLimitsBefore, "no 429 was served: the test tested nothing");
        await AssertCreditedOnceAsync(made, payers);
    }

    [Fact]
    public async Task A_node_stopped_mid_catch_up_and_started_again_leaves_every_deposit_credited_once()
    {
        var payers = fixture.Chain.DevAccounts.Skip(4).Take(2).ToArray();
        var proxy = fixture.Proxy;
        var made = new List<Deposit>();

        // Ranges of at most two blocks, so the catch-up on ~120 blocks takes many reads; a gate holds the first read
        // past the fifth deposit, so the node is stopped mid-scan however fast the machine is.
        proxy.MaxLogBlockRange = 2;
        LogRequestGate? gate = null;
        try
        {
            for (var i = 0; i < 12; i++)
            {
                var from = payers[i % payers.Length];
                var credits = 200L + i;
                made.Add(new Deposit(from, await _payer.DepositEthAsync(from, credits * WeiPerCredit, ChainDeployment.Reference($"outage-{i}")), credits));
                if (i == 4)
                {
                    // No block after the one just mined exists yet, so the watcher cannot have read past it.
                    gate = proxy.GateLogRequests(await fixture.Chain.Client.GetBlockNumberAsync(Ct) + 1);
                }

                await fixture.Chain.Client.MineAsync(9, Ct);
            }

            var transactions = made.Select(d => d.Transaction).ToArray();
            await gate!.Held.WaitAsync(ChainApi.Patience);
            var clock = Stopwatch.StartNew();
            await fixture.Chain.Node.StopAsync(Ct);
            var atStop = (await _records.CreditsOfAsync(transactions)).Count;
            output.WriteLine($"node stopped after {atStop} of {made.Count} credits ({clock.ElapsedMilliseconds} ms to stop)");
            Assert.InRange(atStop, 0, 5); // a tick credits after its reads: those before the gate may wait for it too
            gate.Release();

            // While the node is away the proxy answers 502, and the watcher keeps asking.
            var badGateways = proxy.BadGatewaysServed;
            await Eventually.TrueAsync(() => proxy.BadGatewaysServed >= badGateways + 3, "the watcher asking the stopped node", ChainApi.Patience);
            await fixture.Chain.Node.StartAsync(Ct);
            output.WriteLine($"node back after {clock.ElapsedMilliseconds} ms; {proxy.BadGatewaysServed - badGateways} answers were 502");

            await _records.WaitForCreditsAsync(transactions, made.Count, within: TimeSpan.FromSeconds(60)); // the client may be deep in its backoff when the node returns
        }
        finally
        {
            gate?.Release();
            proxy.MaxLogBlockRange = null;
            if (!fixture.Chain.Node.IsRunning)
            {
                await fixture.Chain.Node.StartAsync(Ct); // for the other tests of the class
            }
        }

        await AssertCreditedOnceAsync(made, payers);
    }

    [Fact]
    public async Task A_node_behind_the_blocks_scanned_already_takes_back_no_credit()
    {
        var payer = fixture.Chain.DevAccounts[6];
        var deposit = await _payer.DepositEthAsync(payer, 300 * WeiPerCredit, ChainDeployment.Reference($"behind-{Guid.NewGuid():N}"));
        var depositBlock = await fixture.Chain.Client.GetBlockNumberAsync(Ct);
        await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations, Ct);
        await _records.WaitForCreditsAsync([deposit], 1);

        // A backend that has not seen the deposit's block yet: silent about every block scanned since, which is no reorg.
        var lag = fixture.Proxy.HoldHeadAt(depositBlock - 1);
        try
        {
            await fixture.Chain.Client.MineAsync(2, Ct);
            await Eventually.TrueAsync(() => lag.Answered >= 3, "three watcher ticks on the node behind", ChainApi.Patience);
        }
        finally
        {
            lag.Release();
        }

        await AssertCreditedOnceAsync([new Deposit(payer, deposit, 300)], [payer]); // no reversal, no second credit
    }

    [Fact]
    public async Task A_node_that_repeats_logs_in_its_answers_gets_each_deposit_credited_once()
    {
        var payers = fixture.Chain.DevAccounts.Skip(7).Take(2).ToArray();
        var made = new List<Deposit>();
        fixture.Proxy.RepeatLogs = true;
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var credits = 400L + i;
                made.Add(new Deposit(payers[i], await _payer.DepositEthAsync(payers[i], credits * WeiPerCredit, ChainDeployment.Reference($"repeat-{Guid.NewGuid():N}")), credits));
            }

            await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations, Ct);
            await _records.WaitForCreditsAsync([.. made.Select(d => d.Transaction)], made.Count);
        }
        finally
        {
            fixture.Proxy.RepeatLogs = false;
        }

        await AssertCreditedOnceAsync(made, payers);
    }

    [Fact]
    public async Task A_block_with_more_deposits_than_the_node_answers_at_once_is_read_from_its_receipts_and_each_credited_once()
    {
        // Hosted providers refuse an eth_getLogs answer past a number of logs, for one block too; anyone can fill a block
        // with transfers to the treasury. Here the node answers at most two logs, and one block holds three deposits.
        var payers = fixture.Chain.DevAccounts.Skip(1).Take(3).ToArray();
        var hashes = await BehindALogCapAsync(payers.Select((payer, i) => (Func<Task<string>>)(() => fixture.Chain.Contracts.DepositEthAsync(
            payer, (600L + i) * WeiPerCredit, ChainDeployment.Reference($"crowded-{Guid.NewGuid():N}"), Ct))));
        var made = hashes.Select((hash, i) => new Deposit(payers[i], hash, 600L + i)).ToList();
        await AssertCreditedOnceAsync(made, payers);
    }

    [Fact]
    public async Task A_block_full_of_zero_value_transfers_to_the_treasury_holds_up_no_later_deposit()
    {
        // No deposit in it at all: its receipts are the whole block, and a check of it by hash (refused the same way) must
        // not stop the scan before it.
        var payers = fixture.Chain.DevAccounts.Skip(4).Take(3).ToArray();
        await BehindALogCapAsync(payers.Select(payer => (Func<Task<string>>)(() => fixture.Chain.Contracts.TransferTokenAsync(payer, fixture.Chain.Treasury, 0, Ct))));
        await AssertCreditedOnceAsync([], payers); // its deposit is made after the block and must be credited
    }

    /// <summary>
    /// Sends the transactions into one block (automine off, one block mined), behind a node that answers at most two logs
    /// at once until the block is three confirmations deep and the scan has passed it; returns their hashes.
    /// </summary>
    private async Task<IReadOnlyList<string>> BehindALogCapAsync(IEnumerable<Func<Task<string>>> sends)
    {
        var before = fixture.Proxy.RangeErrorsServed;
        fixture.Proxy.MaxLogsPerAnswer = 2;
        await fixture.Chain.Client.SetAutomineAsync(false, Ct);
        try
        {
            var hashes = new List<string>();
            foreach (var send in sends)
            {
                hashes.Add(await send());
            }

            await fixture.Chain.Client.MineAsync(1, Ct);
            var receipts = await Task.WhenAll(hashes.Select(hash => fixture.Chain.Client.WaitForReceiptAsync(hash, Ct)));
            Assert.Single(receipts.Select(r => r.BlockNumber).Distinct()); // one block holds them all
            await fixture.Chain.Client.SetAutomineAsync(true, Ct);

            // A deposit after the block, credited only once the scan is past it.
            var after = await _payer.DepositEthAsync(fixture.Chain.DevAccounts[0], 5 * WeiPerCredit, ChainDeployment.Reference($"past-{Guid.NewGuid():N}"));
            await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations, Ct);
            await _records.WaitForCreditsAsync([after], 1);
            Assert.True(fixture.Proxy.RangeErrorsServed > before, "no answer was refused: the test tested nothing");
            return hashes;
        }
        finally
        {
            fixture.Proxy.MaxLogsPerAnswer = null;
            await fixture.Chain.Client.SetAutomineAsync(true, Ct);
        }
    }

    [Fact]
    public async Task A_node_on_another_network_gets_nothing_scanned_until_it_follows_the_configured_chain()
    {
        var payer = fixture.Chain.DevAccounts[9];
        fixture.Proxy.ChainIdAnswer = 11_155_111; // Sepolia behind the settings of chain 31337
        Deposit made;
        try
        {
            // A silo that starts now checks the node's network on its first tick.
            var previous = fixture.Silo;
            fixture.StartSilo();
            await previous.DisposeAsync();
            await fixture.Silo.WaitReadyAsync();

            made = new Deposit(payer, await _payer.DepositEthAsync(payer, 500 * WeiPerCredit, ChainDeployment.Reference($"network-{Guid.NewGuid():N}")), 500);
            await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations, Ct);
            var altered = fixture.Proxy.ChainIdsAltered;
            await Eventually.TrueAsync(() => fixture.Proxy.ChainIdsAltered >= altered + 3, "the watcher asking the node's network again and again", ChainApi.Patience);
            Assert.Empty(await _records.CreditsOfAsync([made.Transaction]));
        }
        finally
        {
            fixture.Proxy.ChainIdAnswer = null;
        }

        await AssertCreditedOnceAsync([made], [payer]);
    }

    [Fact]
    public async Task A_configuration_that_disagrees_with_the_chains_contracts_gets_nothing_scanned_until_it_is_corrected()
    {
        var payer = fixture.Chain.DevAccounts[9];
        var made = new List<Deposit>();
        var misconfigurations = new (string Setting, string Value, string Logged)[]
        {
            ("Grid__Chains__0__Tokens__0__Decimals", "18", "has 6 decimals, not the configured 18"), // USDC as listed on another chain
            ("Grid__Chains__0__Treasury", fixture.Chain.DevAccounts[8], "not the configured treasury"),
        };
        foreach (var (setting, value, logged) in misconfigurations)
        {
            // The node's first answers to the checks are errors that are no reverts (a node behind its load balancer): the
            // check is asked again, never let go as "not answered" (which disabled it for the activation's life).
            fixture.Proxy.FailContractCalls(2);
            var previous = fixture.Silo;
            fixture.StartSilo(overrides: new Dictionary<string, string> { [setting] = value });
            await previous.DisposeAsync();
            await fixture.Silo.WaitReadyAsync();

            var reference = ChainDeployment.Reference($"misconfigured-{Guid.NewGuid():N}");
            made.Add(new Deposit(payer, await _payer.DepositEthAsync(payer, 200 * WeiPerCredit, reference), 200));
            await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations, Ct);
            await Eventually.TrueAsync(() => fixture.Silo.Output.Any(l => l.Contains(logged, StringComparison.Ordinal)), $"the silo logging that {logged}", ChainApi.Patience);
            await Task.Delay(TimeSpan.FromSeconds(1)); // some ticks more
            Assert.Empty(await _records.CreditsOfAsync([.. made.Select(d => d.Transaction)]));
        }

        // Corrected: the silo scans, and both deposits are credited once.
        var misconfigured = fixture.Silo;
        fixture.StartSilo();
        await misconfigured.DisposeAsync();
        await fixture.Silo.WaitReadyAsync();
        await AssertCreditedOnceAsync(made, [payer]);
    }

    /// <summary>
    /// After one more deposit, made once the faults are over (so the watcher is past every earlier one), and all credited:
    /// each deposit has one credit row and one journal entry of its amount, and nothing else was recorded for them.
    /// </summary>
    private async Task AssertCreditedOnceAsync(List<Deposit> made, IReadOnlyList<string> payers)
    {
        var last = await _payer.DepositEthAsync(payers[0], 5 * WeiPerCredit, ChainDeployment.Reference($"after-{Guid.NewGuid():N}"));
        made.Add(new Deposit(payers[0], last, 5));
        await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations, Ct);

        // All of them: a deposit held back by the fault may be confirmed in the same tick as the last one, and the
        // watcher tells different payments at once, so the last credit can land before an earlier one.
        await _records.WaitForCreditsAsync([.. made.Select(d => d.Transaction)], made.Count);

        var transactions = made.Select(d => d.Transaction).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var rows = (await _records.EventsAsync()).Where(r => transactions.Contains(r.Transaction)).ToArray();
        Assert.Equal(made.Select(d => d.Transaction).Order(StringComparer.Ordinal), rows.Select(r => r.Transaction).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal((ChainRecords.Credited, 1), (r.Type, r.Generation)));

        foreach (var wallet in payers)
        {
            var expected = made.Where(d => d.Payer == wallet).Select(d => (d.Transaction, d.Credits)).Order().ToArray();
            var entries = (await _records.DepositsAsync(ChainRecords.WalletAccount(wallet)))
                .Select(e => (e.GetProperty("reference").GetString()!, e.GetProperty("amount").GetInt64()))
                .Where(e => transactions.Contains(e.Item1))
                .Order()
                .ToArray();
            Assert.Equal(expected, entries);
        }
    }

    private sealed record Deposit(string Payer, string Transaction, long Credits);
}
