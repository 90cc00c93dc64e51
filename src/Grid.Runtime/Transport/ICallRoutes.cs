using Grid.Runtime.Membership;

namespace Grid.Runtime.Transport;

/// <summary>Where a sender learns grains' owners: a silo's membership service, or an embedded client's view.</summary>
public interface ICallRoutes
{
    /// <summary>The owner in the current view; null when no silo is in view.</summary>
    MembershipEntry? OwnerOf(GrainId grainId);

    /// <summary>Reads the membership again (after a "not owner" answer or an unreachable owner).</summary>
    Task RefreshAsync(CancellationToken cancellationToken);
}
