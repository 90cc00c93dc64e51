using System.Diagnostics;

namespace Grid.Bench.Chain;

/// <summary>
/// Times a silo's catch-up: from the watcher's start (seen in the silo's log) until every deposit of the chain is
/// credited, as the processed_events rows in the silo's database say (each row written with its credit, in the
/// same transaction; its time is when the payment made the credit). The silo's CPU is counted from the watcher's
/// start until the bench sees the last credit (up to a poll later, the silo idle by then).
/// </summary>
public static class CatchUp
{
    /// <summary>A catch-up that credits nothing new for this long has stalled.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<CatchUpResult> MeasureAsync(ChainBenchSilo silo, DepositChain chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(chain);
        var started = silo.WatcherStartedAt ?? throw new InvalidOperationException("The silo's watcher has not started.");
        var expected = chain.Deposits.Count;
        var progress = Stopwatch.StartNew();
        var last = -1L;
        while (true)
        {
            var tally = await silo.ReadCreditsAsync(cancellationToken);
            if (tally.Count > expected)
            {
                throw new InvalidOperationException($"{tally.Count} chain credits recorded for {expected} deposits.");
            }

            if (tally.Count == expected)
            {
                var processor = silo.ProcessorTime() - silo.ProcessorTimeAtWatcherStart;
                var (pause, ended) = await silo.ReadLongestPauseAsync(started, cancellationToken);
                return new CatchUpResult(
                    chain.Head + 1, tally.Count, tally.Last!.Value - started, tally.First!.Value - started, pause, ended - started, processor);
            }

            if (tally.Count != last)
            {
                last = tally.Count;
                progress.Restart();
            }
            else if (progress.Elapsed > StallLimit)
            {
                throw new TimeoutException(
                    $"The catch-up stalled: {tally.Count:N0} of {expected:N0} deposits credited, none for {StallLimit.TotalSeconds:0} s. The silo's last lines:\n" +
                    string.Join('\n', silo.Output.TakeLast(30)));
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
