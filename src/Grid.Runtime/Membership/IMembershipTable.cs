namespace Grid.Runtime.Membership;

/// <summary>Where silos announce themselves (implemented by Grid.Storage on PostgreSQL).</summary>
public interface IMembershipTable
{
    /// <summary>Every row, in silo id order.</summary>
    Task<IReadOnlyList<MembershipEntry>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Writes the silo's row whole (joining, or a change of status).</summary>
    Task UpsertAsync(MembershipEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Moves an active silo's heartbeat forward. False when its row is gone (removed as departed after a long
    /// silence) or not active: the silo has to join again.
    /// </summary>
    Task<bool> HeartbeatAsync(string siloId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Deletes the rows whose last heartbeat is older than <paramref name="before"/>, whatever their status: the table stays bounded.</summary>
    Task<int> RemoveDepartedAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
