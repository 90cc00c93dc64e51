using System.Collections.Concurrent;
using Grid.Runtime;

namespace Grid.Runtime.Tests.Support;

/// <summary>Records reminder ticks as grains receive them, per silo.</summary>
internal sealed class ReminderLog
{
    private readonly ConcurrentQueue<(GrainId Grain, string Name, TickStatus Status)> _ticks = new();

    public void Ticked(GrainId grain, string name, TickStatus status) => _ticks.Enqueue((grain, name, status));

    public IReadOnlyList<TickStatus> TicksOf(GrainId grain, string name) =>
        _ticks.Where(t => t.Grain == grain && t.Name == name).Select(t => t.Status).ToArray();
}
