using Grid.Runtime.Hosting;
using Grid.Runtime.Placement;

namespace Grid.Runtime.Membership;

/// <summary>A grain is local when this silo owns it in the current view.</summary>
public sealed class ClusterPlacement : IGrainPlacement
{
    private readonly MembershipService _membership;
    private readonly SiloIdentity _silo;

    public ClusterPlacement(MembershipService membership, SiloIdentity silo)
    {
        _membership = membership;
        _silo = silo;
        membership.ViewChanged += (_, _) => OwnershipChanged?.Invoke(this, EventArgs.Empty);
    }

    public event EventHandler? OwnershipChanged;

    /// <summary>
    /// Whether this silo owns the grain in its current view. Before it has joined (no view yet), or while its view holds no
    /// silo, it owns nothing: calls go to the owner or fail as unavailable, and reminders due at start are left to the
    /// silos that own them, instead of activating every grain of the cluster here.
    /// </summary>
    public bool IsLocal(GrainId grainId) => _membership.View.OwnerOf(grainId) is { } owner && owner.SiloId == _silo.Id;

    /// <summary>The owner in the current view; null before the silo has one.</summary>
    public MembershipEntry? OwnerOf(GrainId grainId) => _membership.View.OwnerOf(grainId);
}
