using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

public interface IStatefulGrain : IGrainWithStringKey
{
    Task<long> Add(long amount);

    Task<long> Get();

    Task<string?> ETag();

    Task Clear();
}

public sealed class TotalState
{
    public long Total { get; set; }
}
