using Grid.Ledger.Persistence;

namespace Grid.Storage.Stores.Ledger;

/// <summary>
/// The usage and cast records a batch of appends settles, as both writers write them: one per key, in key order.
/// One per key because a PostgreSQL upsert cannot touch a row twice in one statement, and both writers choose the
/// same survivor so the dialects agree; key order so two batches that share rows lock them in the same order
/// instead of deadlocking.
/// </summary>
internal static class SettledRecords
{
    /// <summary>The usage records; of those that share a key, the last in append order (a later write replaces an earlier one).</summary>
    public static List<UsageRecord> Usage(IReadOnlyList<AccountAppend> appends)
    {
        var byKey = new Dictionary<(string Source, string SourceId), UsageRecord>();
        foreach (var record in appends.SelectMany(a => a.Usage))
        {
            byKey[(record.Source, record.SourceId)] = record;
        }

        return [.. byKey.Values.OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.SourceId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The cast records; of those of one cast, what writing them one by one in the batch's order (an account's appends
    /// merged at its first; the journal writer sends one append an account anyway) would leave: the one with
    /// the highest stage, the first of them on a tie, with the account of the first (the store keeps the furthest stage
    /// and the paying account it first wrote, and a later record of the same stage replaces nothing). Whether two starts
    /// under one cast id were merged into one batch must not decide which of them the store keeps.
    /// </summary>
    public static List<CastRecord> Casts(IReadOnlyList<AccountAppend> appends)
    {
        var byId = new Dictionary<string, CastRecord>(StringComparer.Ordinal);
        foreach (var record in appends.SelectMany(a => a.Casts))
        {
            if (!byId.TryGetValue(record.CastId, out var kept))
            {
                byId[record.CastId] = record;
            }
            else if (record.Stage > kept.Stage)
            {
                byId[record.CastId] = record with { AccountId = kept.AccountId };
            }
        }

        return [.. byId.Values.OrderBy(r => r.CastId, StringComparer.Ordinal)];
    }
}
