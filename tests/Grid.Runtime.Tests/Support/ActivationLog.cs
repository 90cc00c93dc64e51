using System.Collections.Concurrent;
using Grid.Runtime;

namespace Grid.Runtime.Tests.Support;

/// <summary>Counts grain constructions and deactivations, per grain id, from inside the grains.</summary>
internal sealed class ActivationLog
{
    private readonly ConcurrentDictionary<GrainId, int> _activations = new();
    private readonly ConcurrentQueue<(GrainId Id, DeactivationReason Reason)> _deactivations = new();

    public void Activated(GrainId id) => _activations.AddOrUpdate(id, 1, static (_, n) => n + 1);

    public void Deactivated(GrainId id, DeactivationReason reason) => _deactivations.Enqueue((id, reason));

    public int ActivationsOf(GrainId id) => _activations.TryGetValue(id, out var n) ? n : 0;

    public IReadOnlyList<DeactivationReason> DeactivationsOf(GrainId id) =>
        _deactivations.Where(d => d.Id == id).Select(d => d.Reason).ToArray();
}
