using System.Diagnostics;

namespace Grid.Bench.Runtime;

/// <summary>
/// Drives N concurrent callers, each calling random keys in a loop for a fixed time. Callers yield to
/// the scheduler every few calls so all of them really run interleaved on the cores, not one by one.
/// </summary>
public sealed class CallLoad(int callers, int keys, int yieldEvery)
{
    private volatile bool _stop;

    /// <param name="names">The keys to call; null: <c>key-0</c> .. <c>key-(keys-1)</c>.</param>
    public async Task<LoadResult> RunAsync(Func<string, Task<long>> call, TimeSpan duration, string[]? names = null)
    {
        names ??= Enumerable.Range(0, keys).Select(i => $"key-{i}").ToArray();
        _stop = false;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, callers).Select(c => Task.Run(() => CallerAsync(call, names, seed: c))).ToArray();
        await Task.Delay(duration);
        _stop = true;
        var counts = await Task.WhenAll(workers);
        return new LoadResult(counts.Sum(), Stopwatch.GetElapsedTime(started));
    }

    private async Task<long> CallerAsync(Func<string, Task<long>> call, string[] names, int seed)
    {
        var random = new Random(seed);
        long calls = 0;
        while (!_stop)
        {
            await call(names[random.Next(names.Length)]);
            if (++calls % yieldEvery == 0)
            {
                await Task.Yield();
            }
        }

        return calls;
    }
}

public readonly record struct LoadResult(long Calls, TimeSpan Elapsed)
{
    public double PerSecond => Calls / Elapsed.TotalSeconds;
}
