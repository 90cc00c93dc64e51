using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

public interface IChainGrain : IGrainWithStringKey
{
    /// <summary>Calls chain/(n-1) without ever yielding, so every level could run inline on one stack.</summary>
    Task<int> Depth(int remaining);
}
