namespace Grid.Ledger.Persistence;

/// <summary>Usage records of casts and sessions, and their summaries per account. Implemented by Grid.Storage.</summary>
public interface IUsageStore
{
    /// <summary>Writes the record (the same record again changes nothing).</summary>
    Task RecordAsync(UsageRecord record, CancellationToken cancellationToken);

    /// <summary>The most groups a summary answers (a range holds at most 366 days; kinds are the callers' to choose).</summary>
    const int MaxGroups = 1_000;

    /// <summary>
    /// The account's usage from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), summed by day or
    /// kind, in ordinal order of the day (yyyy-MM-dd) or kind, whatever the database's collation;
    /// <see cref="OverflowException"/> when a sum passes what a long holds. At most <see cref="MaxGroups"/> + 1 rows are
    /// read: more than <see cref="MaxGroups"/> means the range has more groups than a summary answers (some are missing).
    /// </summary>
    Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(string accountId, DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, CancellationToken cancellationToken);
}
