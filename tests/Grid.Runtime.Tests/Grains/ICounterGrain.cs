using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<long> Increment(long by);

    ValueTask<long> Get();

    Task Deactivate();
}
