using Grid.Runtime.Hosting;
using Grid.Runtime.Placement;

namespace Grid.Runtime.Membership;

/// <summary>A grain is local when this silo owns it in the current view (or when there is no view yet).</summary>
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

    public bool IsLocal(GrainId grainId) => _membership.View.OwnerOf(grainId) is not { } owner || owner.SiloId == _silo.Id;

    /// <summary>The owner in the current view; null before the silo has one.</summary>
    public MembershipEntry? OwnerOf(GrainId grainId) => _membership.View.OwnerOf(grainId);
}
