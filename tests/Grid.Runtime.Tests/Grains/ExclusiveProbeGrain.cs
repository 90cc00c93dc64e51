using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

internal sealed class ExclusiveProbeGrain(ConcurrencyProbe probe) : Grain, IProbeGrain
{
    public Task Work(int awaits) => ProbeWork.RunAsync(probe.For(GrainId), awaits);
}
