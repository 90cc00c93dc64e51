using System.Collections.Concurrent;
using Grid.Runtime;

namespace Grid.Runtime.Tests.Support;

/// <summary>Timer ticks as grains run them: whether each ran on a live activation or on one already deactivated.</summary>
internal sealed class TimerTickLog
{
    private readonly ConcurrentQueue<(GrainId Grain, bool AfterDeactivation)> _ticks = new();

    public void Ticked(GrainId grain, bool afterDeactivation) => _ticks.Enqueue((grain, afterDeactivation));

    public int TicksOf(GrainId grain) => _ticks.Count(t => t.Grain == grain && !t.AfterDeactivation);

    public int LateTicksOf(GrainId grain) => _ticks.Count(t => t.Grain == grain && t.AfterDeactivation);
}
