using System.Collections.Concurrent;

namespace Grid.Bench.Runtime;

/// <summary>
/// What a team writes by hand to serialize work per key: one SemaphoreSlim per key in a
/// ConcurrentDictionary, guarding the same counter object the grain holds.
/// </summary>
public sealed class SemaphorePerKeyBaseline
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    public async Task<long> IncrementAsync(string key, long by)
    {
        var entry = _entries.GetOrAdd(key, static _ => new Entry());
        await entry.Lock.WaitAsync();
        try
        {
            return await entry.Counter.Increment(by);
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public BenchCounterGrain Counter { get; } = new();
    }
}
