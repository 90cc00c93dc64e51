namespace Grid.Ledger.Persistence;

/// <summary>Usage records of casts and sessions, and their summaries per account. Implemented by Grid.Storage.</summary>
public interface IUsageStore
{
    /// <summary>Writes the record (the same record again changes nothing).</summary>
    Task RecordAsync(UsageRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// The account's usage from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), summed by day or
    /// kind, in ordinal order of the day (yyyy-MM-dd) or kind, whatever the database's collation;
    /// <see cref="OverflowException"/> when a sum passes what a long holds.
    /// </summary>
    Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(string accountId, DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, CancellationToken cancellationToken);
}
