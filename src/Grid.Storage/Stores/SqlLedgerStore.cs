using System.Data.Common;
using Grid.Ledger.Accounts;
using Grid.Ledger.Journal;
using Grid.Ledger.Persistence;
using Grid.Storage.Data;
using Grid.Storage.Metrics;
using Grid.Storage.Stores.Ledger;

namespace Grid.Storage.Stores;

/// <summary>
/// The ledger in the accounts and journal tables. An account row holds the snapshot as of its sequence
/// and moves only from the sequence a writer expects, in the same transaction as the journal rows
/// that lead there, so a stale writer (another activation of the account) writes nothing at all.
/// Times are stored as whole unix milliseconds and read back in UTC: entries round-trip exactly when
/// their times carry no sub-millisecond part (the ledger truncates them); the snapshot is JSON and
/// keeps its times as given.
/// </summary>
public sealed class SqlLedgerStore : ILedgerStore
{
    // SQLite limits the parameters of one statement (999 in older builds); 500 ids stay well below.
    internal const int SqliteIdsPerQuery = 500;

    private const string LoadSql = "SELECT snapshot FROM accounts WHERE account_id = @account_id";

    // A commit whose answer the writer lost (a dropped connection, a timeout) may still be under way on the server, holding
    // the account's row: the activation that reloads after it waits for its outcome, instead of acting on the snapshot
    // before it (answering a retried command from it, say). SQLite commits in this process: there is nothing to wait for.
    private const string LoadPostgresSql = LoadSql + " FOR SHARE";

    private const string ReadJournalSql =
        $"SELECT {JournalRows.Columns} FROM journal WHERE account_id = @account_id AND sequence > @after " +
        "ORDER BY sequence LIMIT @limit";

    private const string ReadLatestSql =
        $"SELECT {JournalRows.Columns} FROM journal WHERE account_id = @account_id " +
        "ORDER BY sequence DESC LIMIT @limit";

    // One unique-index probe per id. The plainer `operation_id = ANY(@ids)` lets a planner with stale
    // statistics scan the account's whole history instead (measured: 0.1 ms became 34 ms on a hot account).
    private const string FindOperationsPostgresSql =
        "SELECT found.* FROM unnest(@ids::text[]) AS wanted(id) CROSS JOIN LATERAL " +
        $"(SELECT {JournalRows.Columns} FROM journal WHERE journal.account_id = @account_id AND journal.operation_id = wanted.id) AS found " +
        "ORDER BY found.sequence";

    private readonly GridDatabase _database;
    private readonly ILedgerWriter _writer;
    private readonly StorageMetrics? _metrics;

    /// <summary>SQLite has one write lock: a second transaction would only wait for it (measured: half the throughput).</summary>
    public int PreferredConcurrentAppends => _database.Provider == StorageProvider.Postgres ? 2 : 1;

    /// <param name="database">The database the ledger lives in.</param>
    /// <param name="metrics">Where append batches are counted and timed; none outside a host.</param>
    public SqlLedgerStore(GridDatabase database, StorageMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _metrics = metrics;
        _writer = database.Provider == StorageProvider.Postgres ? new PostgresLedgerWriter(database.AnnouncesJournal) : new SqliteLedgerWriter();
    }

    public async Task<AccountSnapshot?> LoadAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(_database.Provider == StorageProvider.Postgres ? LoadPostgresSql : LoadSql).With("account_id", accountId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? LedgerJson.Deserialize(reader.GetString(0)) : null;
    }

    /// <summary>
    /// See <see cref="ILedgerStore.AppendAsync"/>. Also: entries must run without a gap from the expected
    /// sequence + 1 to the snapshot's sequence (else <see cref="ArgumentException"/>); an account may appear
    /// more than once only if each append continues where the one before it ended; an entry whose
    /// sequence or operation id the account's journal already has is a <see cref="LedgerConflictException"/>.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<AccountAppend> appends, CancellationToken cancellationToken)
    {
        var prepared = AppendBatch.Prepare(appends);
        if (prepared.Count == 0)
        {
            return;
        }

        if (_metrics is null)
        {
            await WriteAsync(prepared, cancellationToken);
            return;
        }

        var startedAt = _metrics.Start();
        try
        {
            await WriteAsync(prepared, cancellationToken);
        }
        catch (Exception failure)
        {
            _metrics.AppendFailed(_database.Provider, conflict: failure is LedgerConflictException, startedAt);
            throw;
        }

        _metrics.AppendCommitted(_database.Provider, prepared.Sum(a => a.Entries.Count), startedAt);
    }

    private async Task WriteAsync(IReadOnlyList<AccountAppend> prepared, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await _writer.AppendAsync(connection, prepared, cancellationToken);
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(string accountId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(ReadJournalSql)
            .With("account_id", accountId)
            .With("after", afterSequence)
            .With("limit", limit);
        return await ReadEntriesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadLatestAsync(string accountId, int count, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return [];
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(ReadLatestSql)
            .With("account_id", accountId)
            .With("limit", count);
        return await ReadEntriesAsync(command, cancellationToken);
    }

    /// <summary>See <see cref="ILedgerStore.FindOperationsAsync"/>; the entries come ascending by sequence.</summary>
    public async Task<IReadOnlyList<JournalEntry>> FindOperationsAsync(string accountId, IReadOnlyCollection<string> operationIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(operationIds);
        var ids = operationIds.Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        if (_database.Provider == StorageProvider.Postgres)
        {
            await using var command = connection.CreateCommand(FindOperationsPostgresSql)
                .With("account_id", accountId)
                .With("ids", ids);
            return await ReadEntriesAsync(command, cancellationToken);
        }

        // SQLite has no array parameters: an IN list of parameters, a bounded number per statement.
        var found = new List<JournalEntry>();
        foreach (var chunk in ids.Chunk(SqliteIdsPerQuery))
        {
            await using var command = FindOperationsSqlite(connection, accountId, chunk);
            found.AddRange(await ReadEntriesAsync(command, cancellationToken));
        }

        found.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return found;
    }

    private static DbCommand FindOperationsSqlite(DbConnection connection, string accountId, string[] ids)
    {
        var names = string.Join(", ", ids.Select((_, i) => $"@id{i}"));
        var command = connection.CreateCommand(
            $"SELECT {JournalRows.Columns} FROM journal WHERE account_id = @account_id AND operation_id IN ({names}) ORDER BY sequence");
        command.With("account_id", accountId);
        for (var i = 0; i < ids.Length; i++)
        {
            command.With($"id{i}", ids[i]);
        }

        return command;
    }

    private static async Task<List<JournalEntry>> ReadEntriesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JournalRows.ReadAllAsync(reader, cancellationToken);
    }
}
