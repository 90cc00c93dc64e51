using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

[Reentrant]
internal sealed class ReentrantProbeGrain(ConcurrencyProbe probe) : Grain, IReentrantProbeGrain
{
    public Task Work(int awaits) => ProbeWork.RunAsync(probe.For(GrainId), awaits);
}
