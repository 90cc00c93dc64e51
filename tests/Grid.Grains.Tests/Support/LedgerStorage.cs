using Grid.Storage;
using Grid.TestKit;

namespace Grid.Grains.Tests.Support;

/// <summary>A fresh store for one test class: a SQLite file in a temporary directory, or a new PostgreSQL database.</summary>
public abstract class LedgerStorage : IAsyncDisposable
{
    public abstract StorageOptions Options { get; }

    public abstract string Provider { get; }

    public static async Task<LedgerStorage> CreateAsync(string provider) => provider switch
    {
        StorageOptions.Sqlite => new SqliteLedgerStorage(),
        StorageOptions.Postgres => new PostgresLedgerStorage(await PostgresTestDatabase.CreateAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteLedgerStorage : LedgerStorage
    {
        private readonly TemporaryDirectory _directory = new();

        public override StorageOptions Options => new() { Provider = StorageOptions.Sqlite, DataDirectory = _directory.Path };

        public override string Provider => StorageOptions.Sqlite;

        public override ValueTask DisposeAsync()
        {
            _directory.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgresLedgerStorage(PostgresTestDatabase database) : LedgerStorage
    {
        public override StorageOptions Options => database.StorageOptions;

        public override string Provider => StorageOptions.Postgres;

        public override ValueTask DisposeAsync() => database.DisposeAsync();
    }
}
