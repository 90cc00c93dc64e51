using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

/// <summary>In-memory counter: the smallest grain there is; also the benchmark's subject.</summary>
internal sealed class CounterGrain(ActivationLog log) : LoggedGrain(log), ICounterGrain
{
    private long _value;

    public Task<long> Increment(long by) => Task.FromResult(_value += by);

    public ValueTask<long> Get() => new(_value);

    public Task Deactivate()
    {
        Context.DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
