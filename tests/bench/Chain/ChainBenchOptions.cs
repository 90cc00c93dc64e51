namespace Grid.Bench.Chain;

/// <summary>Options of <c>-- chain</c>.</summary>
public sealed record ChainBenchOptions(
    int Blocks,
    int Deposits,
    int Payers,
    int Rounds,
    int Confirmations,
    TimeSpan PollInterval,
    int Clients,
    int LatencyPayments,
    int LatencyConfirmations,
    int BlockTimeSeconds)
{
    public const string Usage =
        "chain [--blocks 20000] [--deposits 5000] [--payers 500] [--rounds 3] [--confirmations 12] [--poll-ms 200] [--clients 16] " +
        "[--latency-payments 30] [--latency-confirmations 2] [--block-time 1]";

    /// <summary>How many payments the chain watcher tells at once (ChainWatcherGrain): the deposits baseline's concurrency.</summary>
    public const int WatcherConcurrency = 16;

    /// <summary>The silo's default reorg window; confirmations must stay below it.</summary>
    private const int ReorgWindow = 128;

    public static ChainBenchOptions Parse(IReadOnlyList<string> args)
    {
        var arguments = new BenchArguments(args);
        var options = new ChainBenchOptions(
            arguments.Int("blocks", 20_000, min: 1_000),
            arguments.Int("deposits", 5_000),
            arguments.Int("payers", 500),
            arguments.Int("rounds", 3),
            arguments.Int("confirmations", 12),
            TimeSpan.FromMilliseconds(arguments.Int("poll-ms", 200, min: 10)),
            arguments.Int("clients", WatcherConcurrency),
            arguments.Int("latency-payments", 30, min: 0),
            arguments.Int("latency-confirmations", 2),
            arguments.Int("block-time", 1));
        arguments.EnsureAllTaken();
        if (options.Confirmations >= ReorgWindow || options.LatencyConfirmations >= ReorgWindow)
        {
            throw new ArgumentException($"--confirmations and --latency-confirmations must be below the reorg window of {ReorgWindow} blocks.");
        }

        if (options.Payers > options.Deposits)
        {
            throw new ArgumentException("--payers may not exceed --deposits: every payer makes at least one deposit.");
        }

        // A block takes a few hundred deposits at most (30M gas); a tenth of the blocks is far below that on average.
        if (options.Deposits > (options.Blocks - options.Confirmations) * 10)
        {
            throw new ArgumentException("--deposits may be at most ten times the blocks that can hold them (--blocks minus --confirmations).");
        }

        return options;
    }
}
