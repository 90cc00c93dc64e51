using Grid.Ledger.Persistence;
using Grid.Storage;
using Grid.Storage.Stores;

namespace Grid.Gateway.Tests.Support;

/// <summary>
/// A fresh store for a silo child process (SQLite file in a temporary directory, or a new PostgreSQL
/// database on GRID_TEST_POSTGRES): the environment that points the silo at it, and the same store
/// opened from the test process to read what the silo made durable.
/// </summary>
public sealed class LedgerStore : IAsyncDisposable
{
    private readonly TemporaryDirectory _directory;
    private readonly PostgresTestDatabase? _postgres;
    private readonly GridDatabase _database;

    private LedgerStore(TemporaryDirectory directory, PostgresTestDatabase? postgres, StorageOptions options)
    {
        _directory = directory;
        _postgres = postgres;
        Options = options;
        _database = GridDatabase.Create(options);
        Store = new SqlLedgerStore(_database);
    }

    public StorageOptions Options { get; }

    /// <summary>The silo's working directory.</summary>
    public string WorkingDirectory => _directory.Path;

    public ILedgerStore Store { get; }

    public static async Task<LedgerStore> CreateAsync(string provider)
    {
        var directory = new TemporaryDirectory();
        try
        {
            return provider switch
            {
                StorageOptions.Sqlite => new LedgerStore(directory, null, new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = directory.Combine("data") }),
                StorageOptions.Postgres => await PostgresAsync(directory),
                _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgres"),
            };
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Grid__... settings for a silo on this store, with the admin key.</summary>
    public Dictionary<string, string> SiloEnvironment(string adminKey)
    {
        var environment = new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = adminKey,
            ["Grid__Storage__Provider"] = Options.Provider,
        };
        if (Options.ConnectionString is { } connectionString)
        {
            environment["Grid__Storage__ConnectionString"] = connectionString;
        }
        else
        {
            environment["Grid__Storage__DataDirectory"] = Options.DataDirectory;
        }

        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _directory.Dispose();
    }

    private static async Task<LedgerStore> PostgresAsync(TemporaryDirectory directory)
    {
        var database = await PostgresTestDatabase.CreateAsync();
        return new LedgerStore(directory, database, database.StorageOptions);
    }
}
