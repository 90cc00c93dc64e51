using Grid.Runtime;

namespace Grid.Bench.Runtime;

/// <summary>The work both sides do per call: bump an in-memory counter and return it.</summary>
public sealed class BenchCounterGrain : Grain, IBenchCounterGrain
{
    private long _value;

    public Task<long> Increment(long by) => Task.FromResult(_value += by);
}
