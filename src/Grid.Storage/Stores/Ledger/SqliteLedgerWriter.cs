using System.Data.Common;
using Grid.Ledger.Journal;
using Grid.Ledger.Persistence;
using Grid.Storage.Data;
using Microsoft.Data.Sqlite;

namespace Grid.Storage.Stores.Ledger;

/// <summary>
/// SQLite has no network round trip to save, so rows go one statement each, through commands that are
/// prepared once per batch and reused for every row. Uniqueness conflicts are not errors here
/// (ON CONFLICT DO NOTHING): a statement that changed no row is the conflict, and names its account.
/// </summary>
internal sealed class SqliteLedgerWriter : ILedgerWriter
{
    private const string InsertAccountSql =
        "INSERT INTO accounts (account_id, sequence, available, held, status, snapshot, updated_at) " +
        "VALUES (@account_id, @sequence, @available, @held, @status, @snapshot, @updated_at) " +
        "ON CONFLICT (account_id) DO NOTHING";

    private const string UpdateAccountSql =
        "UPDATE accounts SET sequence = @sequence, available = @available, held = @held, status = @status, " +
        "snapshot = @snapshot, updated_at = @updated_at " +
        "WHERE account_id = @account_id AND sequence = @expected";

    // No conflict target: a repeated sequence and a repeated operation id are both skipped, and counted.
    private const string InsertEntrySql =
        $"INSERT INTO journal ({JournalRows.Columns}) VALUES (@account_id, @sequence, @kind, @amount, @released, " +
        "@available_after, @held_after, @operation_id, @hold_id, @hold_amount, @hold_captured, @expires_at, " +
        "@reference, @metadata, @request, @at) ON CONFLICT DO NOTHING";

    public async Task AppendAsync(DbConnection connection, IReadOnlyList<AccountAppend> appends, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // IMMEDIATE takes the write lock up front, waiting out busy_timeout behind another writer, so no
        // statement of the batch can meet SQLITE_BUSY halfway (as a deferred read-then-write may).
        await using var transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        await using var insertAccount = new AccountCommand(connection, transaction, InsertAccountSql, fenced: false);
        await using var updateAccount = new AccountCommand(connection, transaction, UpdateAccountSql, fenced: true);
        await using var insertEntry = new EntryCommand(connection, transaction);
        foreach (var append in appends)
        {
            var account = append.ExpectedSequence == 0 ? insertAccount : updateAccount;
            if (await account.ExecuteAsync(append, cancellationToken) == 0)
            {
                throw new LedgerConflictException(append.AccountId, append.ExpectedSequence);
            }

            foreach (var entry in append.Entries)
            {
                if (await insertEntry.ExecuteAsync(append.AccountId, entry, cancellationToken) == 0)
                {
                    throw new LedgerConflictException(append.AccountId, append.ExpectedSequence);
                }
            }
        }

        foreach (var recorded in appends.SelectMany(a => a.Events))
        {
            // A row already there is kept as is, unless it matched no payment and this one names the payment that applied it.
            await using var insertEvent = SqlProcessedEventStore.WithEvent(
                connection.CreateCommand(SqlProcessedEventStore.InsertSql, transaction), recorded);
            await insertEvent.ExecuteNonQueryAsync(cancellationToken);
        }

        // A usage record written again replaces the stored one; a cast record that does not advance its row changes nothing.
        await WriteEachAsync(connection, transaction, SqlUsageStore.UpsertSql, SettledRecords.Usage(appends), SqlUsageStore.WithRecord, cancellationToken);
        await WriteEachAsync(connection, transaction, SqlCastStore.UpsertSql, SettledRecords.Casts(appends), SqlCastStore.WithRecord, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="sql"/> once per row through one command, which SQLite prepares once.</summary>
    private static async Task WriteEachAsync<T>(
        DbConnection connection, DbTransaction transaction, string sql, List<T> rows, Func<DbCommand, T, DbCommand> bind, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand(sql, transaction);
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            await bind(command, row).ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The insert or fenced update of an account row, with its parameters kept for reuse.</summary>
    private sealed class AccountCommand : IAsyncDisposable
    {
        private readonly DbCommand _command;
        private readonly DbParameter _accountId;
        private readonly DbParameter _sequence;
        private readonly DbParameter _available;
        private readonly DbParameter _held;
        private readonly DbParameter _status;
        private readonly DbParameter _snapshot;
        private readonly DbParameter _updatedAt;
        private readonly DbParameter? _expected;

        public AccountCommand(DbConnection connection, DbTransaction transaction, string sql, bool fenced)
        {
            _command = connection.CreateCommand(sql, transaction);
            _accountId = _command.AddParameter("account_id");
            _sequence = _command.AddParameter("sequence");
            _available = _command.AddParameter("available");
            _held = _command.AddParameter("held");
            _status = _command.AddParameter("status");
            _snapshot = _command.AddParameter("snapshot");
            _updatedAt = _command.AddParameter("updated_at");
            _expected = fenced ? _command.AddParameter("expected") : null;
        }

        public ValueTask DisposeAsync() => _command.DisposeAsync();

        public Task<int> ExecuteAsync(AccountAppend append, CancellationToken cancellationToken)
        {
            var snapshot = append.Snapshot;
            _accountId.Value = snapshot.AccountId;
            _sequence.Value = snapshot.Sequence;
            _available.Value = snapshot.Available;
            _held.Value = snapshot.Held;
            _status.Value = JournalRows.StatusName(snapshot.Status);
            _snapshot.Value = LedgerJson.Serialize(snapshot);
            _updatedAt.Value = snapshot.UpdatedAt.ToUnixTimeMilliseconds();
            if (_expected is not null)
            {
                _expected.Value = append.ExpectedSequence;
            }

            return _command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The journal insert, with its parameters kept for reuse.</summary>
    private sealed class EntryCommand : IAsyncDisposable
    {
        private readonly DbCommand _command;
        private readonly DbParameter _accountId;
        private readonly DbParameter _sequence;
        private readonly DbParameter _kind;
        private readonly DbParameter _amount;
        private readonly DbParameter _released;
        private readonly DbParameter _availableAfter;
        private readonly DbParameter _heldAfter;
        private readonly DbParameter _operationId;
        private readonly DbParameter _holdId;
        private readonly DbParameter _holdAmount;
        private readonly DbParameter _holdCaptured;
        private readonly DbParameter _expiresAt;
        private readonly DbParameter _reference;
        private readonly DbParameter _metadata;
        private readonly DbParameter _request;
        private readonly DbParameter _at;

        public EntryCommand(DbConnection connection, DbTransaction transaction)
        {
            _command = connection.CreateCommand(InsertEntrySql, transaction);
            _accountId = _command.AddParameter("account_id");
            _sequence = _command.AddParameter("sequence");
            _kind = _command.AddParameter("kind");
            _amount = _command.AddParameter("amount");
            _released = _command.AddParameter("released");
            _availableAfter = _command.AddParameter("available_after");
            _heldAfter = _command.AddParameter("held_after");
            _operationId = _command.AddParameter("operation_id");
            _holdId = _command.AddParameter("hold_id");
            _holdAmount = _command.AddParameter("hold_amount");
            _holdCaptured = _command.AddParameter("hold_captured");
            _expiresAt = _command.AddParameter("expires_at");
            _reference = _command.AddParameter("reference");
            _metadata = _command.AddParameter("metadata");
            _request = _command.AddParameter("request");
            _at = _command.AddParameter("at");
        }

        public ValueTask DisposeAsync() => _command.DisposeAsync();

        public Task<int> ExecuteAsync(string accountId, JournalEntry entry, CancellationToken cancellationToken)
        {
            _accountId.Value = accountId;
            _sequence.Value = entry.Sequence;
            _kind.Value = JournalEntryKinds.Name(entry.Kind);
            _amount.Value = entry.Amount;
            _released.Value = entry.Released;
            _availableAfter.Value = entry.AvailableAfter;
            _heldAfter.Value = entry.HeldAfter;
            _operationId.Value = entry.OperationId;
            _holdId.Value = (object?)entry.HoldId ?? DBNull.Value;
            _holdAmount.Value = (object?)entry.HoldAmount ?? DBNull.Value;
            _holdCaptured.Value = (object?)entry.HoldCaptured ?? DBNull.Value;
            _expiresAt.Value = (object?)entry.ExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            _reference.Value = (object?)entry.Reference ?? DBNull.Value;
            _metadata.Value = (object?)entry.Metadata ?? DBNull.Value;
            _request.Value = entry.Request;
            _at.Value = entry.At.ToUnixTimeMilliseconds();
            return _command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
