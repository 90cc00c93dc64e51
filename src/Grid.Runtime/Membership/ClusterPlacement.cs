using Grid.Runtime.Hosting;
using Grid.Runtime.Placement;

namespace Grid.Runtime.Membership;

/// <summary>A grain is local when this silo owns it in the current view (or when there is no view yet).</summary>
public sealed class ClusterPlacement(MembershipService membership, SiloIdentity silo) : IGrainPlacement
{
    public bool IsLocal(GrainId grainId) => membership.View.OwnerOf(grainId) is not { } owner || owner.SiloId == silo.Id;

    /// <summary>The owner in the current view; null before the silo has one.</summary>
    public MembershipEntry? OwnerOf(GrainId grainId) => membership.View.OwnerOf(grainId);
}
