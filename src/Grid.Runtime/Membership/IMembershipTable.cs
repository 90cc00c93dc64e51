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

    /// <summary>
    /// Deletes the rows of silos that left (not active) whose last heartbeat is older than <paramref name="before"/>, and
    /// active rows older than <paramref name="activeBefore"/>, so the table does not grow with every restart. Active rows
    /// are judged by wall-clock age only far back (no clock runs a day off): a live silo whose clock runs behind the
    /// caller's would look long gone (see <see cref="RemoveSilentAsync"/>).
    /// </summary>
    Task<int> RemoveDepartedAsync(DateTimeOffset before, DateTimeOffset activeBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a silo's row if its heartbeat is still <paramref name="heartbeatAt"/>: the caller watched it stand still
    /// for the retention (a silo that crashed). A heartbeat written meanwhile keeps the row. True when a row was removed.
    /// </summary>
    Task<bool> RemoveSilentAsync(string siloId, DateTimeOffset heartbeatAt, CancellationToken cancellationToken);
}
