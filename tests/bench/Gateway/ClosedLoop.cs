using System.Diagnostics;
using Grid.Bench.Ledger;

namespace Grid.Bench.Gateway;

/// <summary>
/// N clients, each sending its next operation as soon as the last one is answered, for a fixed time. Client
/// <c>c</c> calls <c>operation(c, n)</c> with its own running count <c>n</c>, so operation ids never repeat.
/// </summary>
public sealed class ClosedLoop(int clients)
{
    private long _runs;

    public Task<LoopResult> RunAsync(Func<int, long, Task> operation, TimeSpan duration) =>
        RunAsync(
            async (client, n) =>
            {
                await operation(client, n);
                return true;
            },
            duration);

    /// <summary>
    /// As above, for work that can run out: an operation that answers false found nothing left to do, is not
    /// counted, and stops its client; the run ends when every client has stopped or the time is up.
    /// </summary>
    public async Task<LoopResult> RunAsync(Func<int, long, Task<bool>> operation, TimeSpan duration)
    {
        var run = Interlocked.Increment(ref _runs);
        var latencies = new List<long>[clients];
        var failed = new long[clients];
        Exception? firstFailure = null;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = new List<long>(1_024);
            for (var n = run << 32; Stopwatch.GetTimestamp() < deadline; n++)
            {
                var before = Stopwatch.GetTimestamp();
                try
                {
                    if (!await operation(client, n))
                    {
                        break;
                    }

                    mine.Add(Stopwatch.GetTimestamp() - before);
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    failed[client]++;
                    Interlocked.CompareExchange(ref firstFailure, error, null);
                }
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var sorted = latencies.SelectMany(l => l).ToArray();
        Array.Sort(sorted);
        return new LoopResult(sorted.Length, failed.Sum(), elapsed, sorted, firstFailure);
    }
}

/// <summary>What a closed loop did: answered operations, failures, and latencies sorted ascending (Stopwatch ticks).</summary>
public sealed record LoopResult(long Operations, long Failed, TimeSpan Elapsed, long[] Latencies, Exception? FirstFailure)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public double P50Milliseconds => Latencies.NearestRank(0.50);

    public double P99Milliseconds => Latencies.NearestRank(0.99);

    public static LoopResult Sum(IReadOnlyList<LoopResult> runs)
    {
        var all = runs.SelectMany(r => r.Latencies).ToArray();
        Array.Sort(all);
        return new LoopResult(
            runs.Sum(r => r.Operations), runs.Sum(r => r.Failed), TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)), all, runs.FirstOrDefault(r => r.FirstFailure is not null)?.FirstFailure);
    }
}
