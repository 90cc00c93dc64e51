using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

[Reentrant]
internal sealed class ReentrantProbeGrain(ConcurrencyProbe probe, Gate gate) : Grain, IReentrantProbeGrain
{
    public Task Work(int awaits) => ProbeWork.RunAsync(probe.For(GrainId), awaits);

    public async Task WorkBehindGate()
    {
        var counters = probe.For(GrainId);
        counters.Segment(counters.EnterCall);
        await gate.WaitAsync();
        counters.Segment(counters.ExitCall);
    }
}
