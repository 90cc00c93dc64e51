using System.Collections.Concurrent;
using Grid.Runtime.Placement;

namespace Grid.Runtime.Tests.Support;

/// <summary>
/// A view that moves every grain to another silo right after this one was first asked about it, and never says so:
/// the interleaving where a send checks ownership, the view changes, its sweep of the activations runs, and only then
/// the send adds the activation.
/// </summary>
public sealed class MovingPlacement : IGrainPlacement
{
    private readonly ConcurrentDictionary<GrainId, bool> _asked = new();

    // Never raised: the sweep it would start ran already, before the activation was added.
#pragma warning disable CS0067
    public event EventHandler? OwnershipChanged;
#pragma warning restore CS0067

    public bool IsLocal(GrainId grainId) => _asked.TryAdd(grainId, true);
}
