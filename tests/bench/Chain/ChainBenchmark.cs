using Grid.Bench.Ledger;
using Grid.Bench.Webhooks;
using Grid.Chain.TestKit;

namespace Grid.Bench.Chain;

/// <summary>
/// On-chain payments. (1) Catch-up: a silo started on a chain that already holds the deposits scans it from block 0
/// and credits them all; against a bare scan (the same reads with the grid's RPC client, nothing credited) and against
/// operator deposits of the same amounts over HTTP to the same accounts, both in the same round. (2) Latency: intents
/// paid at random moments on a chain mining a block a second, from the confirming block to the credit.
/// </summary>
public static class ChainBenchmark
{
    public static async Task<int> RunAsync(ChainBenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cancellationToken = CancellationToken.None;
        Console.WriteLine($"chain: anvil ({DepositChain.LongChainNode.Hardfork}, pruned history), the silo built in Release as a child process on SQLite (synchronous=FULL)");
        Console.WriteLine($"  machine load (1/5/15-minute averages) at start: {MachineLoad.Describe()}; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var chains = new ChainFixture();
        var clean = await CatchUpAsync(chains, options, cancellationToken);
        if (options.LatencyPayments > 0)
        {
            clean &= await LatencyAsync(chains, options, cancellationToken);
        }

        Console.WriteLine($"  machine load (1/5/15-minute averages) at the end: {MachineLoad.Describe()}");
        return clean ? 0 : 1;
    }

    private static async Task<bool> CatchUpAsync(ChainFixture chains, ChainBenchOptions options, CancellationToken cancellationToken)
    {
        await using var chain = await DepositChain.BuildAsync(chains, options, cancellationToken);
        var settings = ChainBenchSilo.Settings(chain.Chain, options.Confirmations, options.PollInterval);
        Console.WriteLine();
        Console.WriteLine(
            $"catch-up: blocks 0 to {chain.Head:N0} holding {chain.Deposits.Count:N0} walk-in deposits through the deposit contract " +
            $"({chain.Deposits.Count - chain.TokenDeposits:N0} ETH, {chain.TokenDeposits:N0} USDC) from {chain.Payers.Count:N0} wallets, " +
            $"in {chain.BlocksWithDeposits:N0} blocks picked at random; built in {chain.Built.TotalSeconds:0.0} s (not measured)");
        Console.WriteLine(
            $"  the silo starts with the chain already there: StartBlock 0, {options.Confirmations} confirmations, poll every {options.PollInterval.TotalMilliseconds:0} ms, " +
            $"log ranges {settings.InitialLogRange:N0} doubling to {settings.MaxLogRange:N0}, reorg window {settings.ReorgWindow}; timed from the watcher's start to its last credit");
        Console.WriteLine(
            $"  baselines in each round: a bare scan (the watcher's reads with the grid's RPC client and log reader, nothing credited), " +
            $"and the same {chain.Deposits.Count:N0} credits as operator deposits over HTTP, {options.Clients} at a time (as the watcher tells {ChainBenchOptions.WatcherConcurrency} payments at once), " +
            "after a restart of the same silo");

        var bare = new List<BareScanResult>();
        var watcher = new List<CatchUpResult>();
        var deposits = new List<DepositRun>();
        IReadOnlyList<(string State, long Rows, long Writes)> stateWrites = [];
        var clean = true;
        for (var round = 1; round <= options.Rounds; round++)
        {
            var scan = await BareScan.RunAsync(settings, cancellationToken);
            if (scan.Deposits != chain.Deposits.Count)
            {
                throw new InvalidOperationException($"The bare scan found {scan.Deposits} deposits, not {chain.Deposits.Count}.");
            }

            bare.Add(scan);
            var directory = Directory.CreateTempSubdirectory("grid-bench-chain-");
            try
            {
                await using var silo = await ChainBenchSilo.StartAsync(settings, directory.FullName);
                var caughtUp = await CatchUp.MeasureAsync(silo, chain, cancellationToken);
                watcher.Add(caughtUp);
                stateWrites = await silo.ReadStateWritesAsync(cancellationToken);
                var credited = await GuestBalances.CheckAsync(silo, chain.ExpectedCredits, 1, cancellationToken);
                await silo.RestartAsync();
                var run = await LedgerDeposits.RunAsync(silo, chain.Deposits, options.Clients, round, cancellationToken);
                deposits.Add(run);
                var deposited = await GuestBalances.CheckAsync(silo, chain.ExpectedCredits, 2, cancellationToken);
                Console.WriteLine(
                    $"  round {round}: watcher {caughtUp.BlocksPerSecond,6:N0} blocks/s, {caughtUp.CreditsPerSecond,5:N0} credits/s in {caughtUp.Elapsed.TotalSeconds,5:0.00} s   " +
                    $"bare scan {scan.BlocksPerSecond,7:N0} blocks/s in {scan.Elapsed.TotalSeconds:0.00} s   deposits {run.PerSecond,6:N0}/s   " +
                    $"ratios {caughtUp.BlocksPerSecond / scan.BlocksPerSecond:0.000} and {caughtUp.CreditsPerSecond / run.PerSecond:0.00}");
                Console.WriteLine(
                    $"           first credit at {caughtUp.FirstCredit.TotalSeconds:0.00} s, longest pause between credits {caughtUp.LongestPause.TotalSeconds:0.00} s " +
                    $"(until {caughtUp.LongestPauseEnded.TotalSeconds:0.00} s); silo CPU {caughtUp.ProcessorMicroseconds:N0} us a credit, {run.ProcessorMicroseconds:N0} us a deposit");
                foreach (var (when, problem) in new[] { ("after the catch-up", credited), ("after the deposits", deposited) })
                {
                    if (problem is not null)
                    {
                        Console.WriteLine($"    guest accounts {when}: {problem}");
                        clean = false;
                    }
                }
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        }

        var scanned = bare[0];
        Console.WriteLine(
            $"  each scan: {scanned.Ranges} log ranges (two eth_getLogs each), {scanned.Headers:N0} headers in batches of up to 100; " +
            $"every catch-up credited all {watcher[0].Credits:N0} deposits, and the guest accounts held exactly what was paid in, then that again after the deposits: {(clean ? "ok" : "NO")}");
        Console.WriteLine(
            "  grain state writes in a catch-up (rows, writes): " +
            string.Join(", ", stateWrites.Select(w => $"{w.State} {w.Rows:N0}, {w.Writes:N0}")) +
            $"; {stateWrites.Where(w => w.State == "chain-payment").Sum(w => w.Writes) / (double)chain.Deposits.Count:0.00} payment state writes a credit");
        var blocksRatio = WebhookBenchmark.Median(watcher.Zip(bare, (w, b) => w.BlocksPerSecond / b.BlocksPerSecond));
        var creditsRatio = WebhookBenchmark.Median(watcher.Zip(deposits, (w, d) => w.CreditsPerSecond / d.PerSecond));
        Console.WriteLine("  medians of the rounds:");
        Console.WriteLine($"    bare scan           {WebhookBenchmark.Median(bare.Select(b => b.BlocksPerSecond)),9:N0} blocks/s");
        Console.WriteLine(
            $"    watcher catch-up    {WebhookBenchmark.Median(watcher.Select(w => w.BlocksPerSecond)),9:N0} blocks/s   " +
            $"{WebhookBenchmark.Median(watcher.Select(w => w.CreditsPerSecond)),7:N0} credits/s   ({WebhookBenchmark.Median(watcher.Select(w => w.Elapsed.TotalSeconds)):0.00} s; " +
            $"silo CPU {WebhookBenchmark.Median(watcher.Select(w => w.ProcessorMicroseconds)):N0} us a credit)");
        Console.WriteLine(
            $"    operator deposits   {WebhookBenchmark.Median(deposits.Select(d => d.PerSecond)),9:N0} deposits/s                     " +
            $"(silo CPU {WebhookBenchmark.Median(deposits.Select(d => d.ProcessorMicroseconds)):N0} us a deposit)");
        Console.WriteLine($"    ratio watcher / bare scan (blocks/s): {blocksRatio:0.000}; ratio watcher credits / operator deposits: {creditsRatio:0.00}");
        return clean;
    }

    private static async Task<bool> LatencyAsync(ChainFixture chains, ChainBenchOptions options, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine(
            $"latency: a block every {options.BlockTimeSeconds} s, {options.LatencyConfirmations} confirmations, poll every {options.PollInterval.TotalMilliseconds:0} ms; " +
            $"{options.LatencyPayments} ETH intents made through the gateway and paid at random moments (after {PaymentLatency.WarmUp} not counted), " +
            $"each payment's status read every {PaymentLatency.StatusPoll.TotalMilliseconds:0} ms until credited");
        var samples = await PaymentLatency.RunAsync(chains, options, cancellationToken);
        var blockTime = TimeSpan.FromSeconds(options.BlockTimeSeconds);
        Console.WriteLine("                                          p50        p95        max");
        Describe("from the confirming block's appearance", samples.Select(s => s.FromConfirmingBlock));
        Describe("from its header timestamp (whole s)", samples.Select(s => s.FromConfirmingTimestamp));
        Describe("from the payment's send", samples.Select(s => s.FromSend));
        var fromBlock = samples.Select(s => s.FromConfirmingBlock).Order().ToList();
        var worst = fromBlock[^1] / blockTime;
        Console.WriteLine(
            $"  credited within {Percentile(fromBlock, 0.95).TotalMilliseconds:0} ms (p95) and {fromBlock[^1].TotalMilliseconds:0} ms (max) of the confirming block: " +
            $"{Percentile(fromBlock, 0.95) / blockTime:0.00} and {worst:0.00} of the block time (target at most 1.00: {(worst <= 1 ? "met" : "NOT MET")})");
        return true;
    }

    private static void Describe(string what, IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        Console.WriteLine(
            $"  {what,-38} {Percentile(sorted, 0.50).TotalMilliseconds,7:0} ms {Percentile(sorted, 0.95).TotalMilliseconds,7:0} ms {sorted[^1].TotalMilliseconds,7:0} ms");
    }

    /// <summary>Nearest rank of an ascending list.</summary>
    private static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
