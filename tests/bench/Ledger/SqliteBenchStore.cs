using System.Data.Common;
using Grid.Storage;
using Microsoft.Data.Sqlite;

namespace Grid.Bench.Ledger;

/// <summary>
/// The grid's SQLite file (grid.db) in a fresh temporary directory, deleted after the run. The baseline
/// opens the same file through the grid's own <see cref="GridDatabase"/>, so both sides run with the same
/// session settings (WAL, synchronous=FULL, busy timeout).
/// </summary>
public sealed class SqliteBenchStore : BenchStore
{
    private readonly SemaphoreSlim _writerGate = new(1, 1);
    private readonly string _directory;
    private readonly GridDatabase _database;

    public SqliteBenchStore()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"grid_bench_{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        _database = GridDatabase.Create(GridStorage);
    }

    public override StorageOptions GridStorage => new() { Provider = StorageOptions.Sqlite, DataDirectory = _directory };

    public override string ForUpdate => string.Empty;

    public override string BaselineNote => "BEGIN IMMEDIATE (SQLite locks the database, not a row); writers queue in the process for the one write lock";

    /// <summary>
    /// A waiting writer in SQLite's busy handler sleeps in whole seconds when the library was built without
    /// usleep, as the bundled e_sqlite3 2.0.x is; a careful team queues its writers in the process instead.
    /// </summary>
    public override SemaphoreSlim WriterGate => _writerGate;

    public override string BaselineSchemaSql =>
        """
        CREATE TABLE bench_accounts (
            account_id TEXT    NOT NULL PRIMARY KEY,
            available  INTEGER NOT NULL,
            held       INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE TABLE bench_holds (
            account_id TEXT    NOT NULL,
            hold_id    TEXT    NOT NULL,
            amount     INTEGER NOT NULL,
            captured   INTEGER NOT NULL,
            status     TEXT    NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, hold_id));
        CREATE TABLE bench_journal (
            id              INTEGER PRIMARY KEY,
            account_id      TEXT    NOT NULL,
            operation_id    TEXT    NOT NULL,
            kind            TEXT    NOT NULL,
            amount          INTEGER NOT NULL,
            released        INTEGER NOT NULL,
            available_after INTEGER NOT NULL,
            held_after      INTEGER NOT NULL,
            hold_id         TEXT    NULL,
            at              INTEGER NOT NULL,
            UNIQUE (account_id, operation_id));
        """;

    public override string Describe() =>
        $"SQLite {SqliteVersion()} at {Path.Combine(_directory, "grid.db")}, journal_mode=WAL, synchronous=FULL";

    public override Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => _database.OpenConnectionAsync(cancellationToken);

    public override ValueTask<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        _writerGate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return (string)command.ExecuteScalar()!;
    }
}
