using System.Data.Common;
using System.Globalization;

namespace Grid.Bench.Ledger;

/// <summary>
/// The ledger most teams write: one database transaction per request that locks the account row
/// (SELECT ... FOR UPDATE; on SQLite the whole database, BEGIN IMMEDIATE), checks funds, updates the
/// balance and inserts a journal row whose operation id is unique per account. A hold and its capture
/// are two such transactions, with the hold kept in its own table. Round trips are kept down the way a
/// careful team would: the lock reads are one statement batch, the writes another, then COMMIT; on
/// PostgreSQL the statements run prepared (auto-prepare) and connections are pooled. On SQLite, which
/// has one writer at a time, writers queue in the process (<see cref="BenchStore.WriterGate"/>) rather
/// than in SQLite's busy handler.
/// </summary>
public sealed class BaselineLedger(BenchStore store, string prefix) : ILedgerTarget
{
    private const string UpdateAccountSql =
        "UPDATE bench_accounts SET available = @available, held = @held, updated_at = @at WHERE account_id = @account";

    private const string InsertJournalSql =
        "INSERT INTO bench_journal (account_id, operation_id, kind, amount, released, available_after, held_after, hold_id, at) " +
        "VALUES (@account, @operation, @kind, @amount, @released, @available, @held, @hold, @at)";

    private const string HoldSql =
        UpdateAccountSql + ";\n" +
        "INSERT INTO bench_holds (account_id, hold_id, amount, captured, status, created_at) VALUES (@account, @hold, @amount, 0, 'open', @at);\n" +
        InsertJournalSql;

    private const string CaptureSql =
        UpdateAccountSql + ";\n" +
        "UPDATE bench_holds SET captured = captured + @amount, status = 'captured' WHERE account_id = @account AND hold_id = @hold;\n" +
        InsertJournalSql;

    private const string MoveSql = UpdateAccountSql + ";\n" + InsertJournalSql;

    private const string SeedSql =
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @count) " +
        "INSERT INTO bench_accounts (account_id, available, held, updated_at) SELECT @prefix || i, @funding, 0, @at FROM n";

    private readonly string _lockAccountSql = "SELECT available, held FROM bench_accounts WHERE account_id = @account" + store.ForUpdate;
    private readonly string _lockHoldSql =
        "SELECT available, held FROM bench_accounts WHERE account_id = @account" + store.ForUpdate + ";\n" +
        "SELECT amount, captured, status FROM bench_holds WHERE account_id = @account AND hold_id = @hold" + store.ForUpdate;

    private string[] _accounts = [];
    private string _prefix = string.Empty;
    private bool _created;

    public string Name => "baseline";

    /// <summary>What every prepared account's id starts with.</summary>
    public string AccountPrefix => _prefix;

    public async Task PrepareAsync(LedgerWorkload workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        _prefix = $"{prefix}-{workload.Name}-";
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await store.BeginAsync(connection, cancellationToken);
        if (!_created)
        {
            await using var schema = Command(connection, transaction, store.BaselineSchemaSql);
            await schema.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var seed = Command(connection, transaction, SeedSql))
        {
            Add(seed, "count", workload.Accounts);
            Add(seed, "prefix", _prefix);
            Add(seed, "funding", LedgerWorkload.Funding);
            Add(seed, "at", Now());
            await seed.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _created = true;
        _accounts = Enumerable.Range(0, workload.Accounts).Select(i => _prefix + i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    public Task<bool> HoldAsync(int account, string holdId, long amount) =>
        TransactAsync(async (connection, transaction) =>
        {
            var id = _accounts[account];
            var (available, held) = await LockAccountAsync(connection, transaction, id);
            if (available < amount)
            {
                return false;
            }

            await using var write = Command(connection, transaction, HoldSql);
            AddEntry(write, id, holdId, "hold", amount, released: 0, available - amount, held + amount, holdId);
            await write.ExecuteNonQueryAsync();
            return true;
        });

    public Task<bool> CaptureAsync(int account, string operationId, string holdId, long amount) =>
        TransactAsync(async (connection, transaction) =>
        {
            var id = _accounts[account];
            long available, held, holdAmount, captured;
            string status;
            await using (var read = Command(connection, transaction, _lockHoldSql))
            {
                Add(read, "account", id);
                Add(read, "hold", holdId);
                await using var reader = await read.ExecuteReaderAsync();
                (available, held) = await ReadAccountAsync(reader, id);
                await reader.NextResultAsync();
                if (!await reader.ReadAsync())
                {
                    throw new InvalidOperationException($"Account {id} has no hold {holdId}.");
                }

                (holdAmount, captured, status) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
            }

            var remaining = holdAmount - captured;
            if (status != "open" || amount > remaining)
            {
                throw new InvalidOperationException($"Hold {holdId} of account {id} is {status} with {remaining} left; {amount} asked.");
            }

            var released = remaining - amount;
            await using var write = Command(connection, transaction, CaptureSql);
            AddEntry(write, id, operationId, "capture", amount, released, available + released, held - remaining, holdId);
            await write.ExecuteNonQueryAsync();
            return true;
        });

    public Task<bool> DebitAsync(int account, string operationId, long amount) => MoveAsync(account, operationId, "debit", -amount);

    public Task<bool> DepositAsync(int account, string operationId, long amount) => MoveAsync(account, operationId, "deposit", amount);

    public async Task<long> CountJournalAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT count(*) FROM bench_journal WHERE account_id LIKE @pattern");
        Add(command, "pattern", _prefix + "%");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>A debit (negative <paramref name="change"/>, refused below zero) or a deposit.</summary>
    private Task<bool> MoveAsync(int account, string operationId, string kind, long change) =>
        TransactAsync(async (connection, transaction) =>
        {
            var id = _accounts[account];
            var (available, held) = await LockAccountAsync(connection, transaction, id);
            if (available + change < 0)
            {
                return false;
            }

            await using var write = Command(connection, transaction, MoveSql);
            AddEntry(write, id, operationId, kind, Math.Abs(change), released: 0, available + change, held, hold: null);
            await write.ExecuteNonQueryAsync();
            return true;
        });

    /// <summary>One request, one transaction: committed when <paramref name="work"/> says true, rolled back when it refused.</summary>
    private async Task<bool> TransactAsync(Func<DbConnection, DbTransaction, Task<bool>> work)
    {
        var gate = store.WriterGate;
        if (gate is not null)
        {
            await gate.WaitAsync();
        }

        try
        {
            await using var connection = await store.OpenAsync(CancellationToken.None);
            await using var transaction = await store.BeginAsync(connection, CancellationToken.None);
            if (!await work(connection, transaction))
            {
                await transaction.RollbackAsync();
                return false;
            }

            await transaction.CommitAsync();
            return true;
        }
        finally
        {
            gate?.Release();
        }
    }

    private async Task<(long Available, long Held)> LockAccountAsync(DbConnection connection, DbTransaction transaction, string id)
    {
        await using var read = Command(connection, transaction, _lockAccountSql);
        Add(read, "account", id);
        await using var reader = await read.ExecuteReaderAsync();
        return await ReadAccountAsync(reader, id);
    }

    private static async Task<(long Available, long Held)> ReadAccountAsync(DbDataReader reader, string id) =>
        await reader.ReadAsync()
            ? (reader.GetInt64(0), reader.GetInt64(1))
            : throw new InvalidOperationException($"Account {id} does not exist.");

    private static void AddEntry(
        DbCommand command, string account, string operationId, string kind, long amount, long released, long available, long held, string? hold)
    {
        Add(command, "account", account);
        Add(command, "operation", operationId);
        Add(command, "kind", kind);
        Add(command, "amount", amount);
        Add(command, "released", released);
        Add(command, "available", available);
        Add(command, "held", held);
        Add(command, "hold", hold);
        Add(command, "at", Now());
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
