using Npgsql;

namespace Grid.Grains.Tests.Support;

/// <summary>
/// The journal table locked (ACCESS EXCLUSIVE) in a transaction of its own, so that every read and append of it waits:
/// a test holds the ledger's store back at a chosen moment. Released by <see cref="ReleaseAsync"/> or on dispose.
/// </summary>
public sealed class JournalTableLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private JournalTableLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<JournalTableLock> TakeAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE journal IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        return new JournalTableLock(connection, transaction);
    }

    /// <summary>Whether some session of this database waits for a lock (a look-up or append held back).</summary>
    public async Task<bool> SomethingWaitsAsync()
    {
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", _connection);
        return (long)(await waiting.ExecuteScalarAsync())! > 0;
    }

    public Task ReleaseAsync() => _transaction.CommitAsync();

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
