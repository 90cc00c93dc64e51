using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Grid.Storage.Dialects;

/// <summary>The embedded default: one file, grid.db, in the data directory.</summary>
internal sealed class SqliteDialect : IStorageDialect
{
    public const string FileName = "grid.db";

    // busy_timeout first, so the rest wait for a concurrent writer instead of failing.
    // journal_mode is a property of the file (repeating it is a no-op); synchronous, busy_timeout
    // and foreign_keys belong to the connection and must be set on each one.
    private const string SessionSql =
        "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

    private readonly string _connectionString;

    private SqliteDialect(string databasePath)
    {
        DatabasePath = databasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
    }

    public StorageProvider Provider => StorageProvider.Sqlite;

    public string MigrationFolder => "sqlite";

    public string DatabasePath { get; }

    public string MigrationTableExistsSql =>
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";

    // Reads page 1, which opening alone does not: a file that is not a database fails here.
    public string ProbeSql => "SELECT COUNT(*) FROM sqlite_master";

    /// <summary>Validates the settings, creating the data directory if it is missing.</summary>
    public static SqliteDialect Create(StorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new StorageConfigurationException(
                $"{StorageOptions.ConnectionStringKey} is set, but {StorageOptions.ProviderKey} is sqlite, which keeps its file in {StorageOptions.DataDirectoryKey}; remove the connection string or use postgres");
        }

        var directory = DataDirectory.Prepare(options.DataDirectory);
        var path = Path.Combine(directory, FileName);
        if (Directory.Exists(path))
        {
            throw new StorageConfigurationException(
                $"{StorageOptions.DataDirectoryKey} '{directory}' cannot be used: {FileName} in it is a directory");
        }

        // Loads the bundled native SQLite; idempotent, so calling it per database needs no shared flag.
        SQLitePCL.Batteries_V2.Init();
        return new SqliteDialect(path);
    }

    public string Describe() => $"SQLite at {DatabasePath}";

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = SessionSql;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<DbTransaction> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // BEGIN IMMEDIATE takes the write lock up front: a second runner waits (busy_timeout) and then
        // sees the first one's work, rather than both reading "not applied" and racing to upgrade.
        DbTransaction transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        return Task.FromResult(transaction);
    }

    public StorageConfigurationException ConnectFailure(Exception exception) =>
        new($"{StorageOptions.DataDirectoryKey}: cannot open {DatabasePath}: {exception.Message}", exception);

    public void Dispose() => ClearPool();

    public ValueTask DisposeAsync()
    {
        ClearPool();
        return ValueTask.CompletedTask;
    }

    // Closes this file's idle pooled connections, so a disposed database leaves no handle open.
    private void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
