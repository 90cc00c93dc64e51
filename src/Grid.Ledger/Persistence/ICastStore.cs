namespace Grid.Ledger.Persistence;

/// <summary>Cast records read by their grain and their sweeper; written with journal appends, or alone when no entry moves. Implemented by Grid.Storage.</summary>
public interface ICastStore
{
    Task<CastRecord?> ReadAsync(string castId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the record unless the stored one has come as far or further (rows only move forward); true when it was
    /// written. For the endings no journal entry carries (a hold the ledger had already closed).
    /// </summary>
    Task<bool> SaveAsync(CastRecord record, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="limit"/> casts due at <paramref name="now"/> or before, earliest first.</summary>
    Task<IReadOnlyList<CastRecord>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a due cast's due time to <paramref name="until"/>, only while its row is still as <paramref name="due"/>
    /// found it (same stage and due time): a cast its grain moved on meanwhile is left as the grain wrote it. True
    /// when it was moved. For the sweeper, so a cast that keeps failing goes behind the others instead of first.
    /// </summary>
    Task<bool> PostponeAsync(CastRecord due, DateTimeOffset until, CancellationToken cancellationToken);
}
