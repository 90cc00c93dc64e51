using Grid.Ledger.Accounts;
using Grid.Ledger.Journal;

namespace Grid.Ledger.Persistence;

/// <summary>
/// Durable home of accounts: the journal (append-only, source of truth) and each account's snapshot,
/// fenced by the account's sequence. Implemented by Grid.Storage for SQLite and PostgreSQL.
/// </summary>
public interface ILedgerStore
{
    /// <summary>
    /// How many append transactions pay off running at once: one for a store with a single write lock
    /// (SQLite), more where writers overlap (PostgreSQL). The journal writer's default.
    /// </summary>
    int PreferredConcurrentAppends { get; }

    /// <summary>The account's last durable snapshot, or null when the account was never opened.</summary>
    Task<AccountSnapshot?> LoadAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes every append in one database transaction: all or nothing. Each append's snapshot replaces
    /// the stored one only if the stored sequence still equals <see cref="AccountAppend.ExpectedSequence"/>
    /// (0: no row yet); otherwise nothing is written and <see cref="LedgerConflictException"/> names the account.
    /// </summary>
    Task AppendAsync(IReadOnlyList<AccountAppend> appends, CancellationToken cancellationToken);

    /// <summary>Entries with sequence greater than <paramref name="afterSequence"/>, ascending, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(string accountId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>The most recent <paramref name="count"/> entries, descending by sequence (warms the idempotency window).</summary>
    Task<IReadOnlyList<JournalEntry>> ReadLatestAsync(string accountId, int count, CancellationToken cancellationToken);

    /// <summary>The entries, if any, that carry these operation ids.</summary>
    Task<IReadOnlyList<JournalEntry>> FindOperationsAsync(string accountId, IReadOnlyCollection<string> operationIds, CancellationToken cancellationToken);
}
