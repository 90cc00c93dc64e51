using Grid.Runtime;

namespace Grid.Bench.Runtime;

public interface IBenchCounterGrain : IGrainWithStringKey
{
    Task<long> Increment(long by);
}
