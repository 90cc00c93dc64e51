using System.Globalization;
using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

internal sealed class ChainGrain : Grain, IChainGrain
{
    public async Task<int> Depth(int remaining) =>
        remaining == 0 ? 0 : 1 + await GrainFactory.GetGrain<IChainGrain>((remaining - 1).ToString(CultureInfo.InvariantCulture)).Depth(remaining - 1);
}
