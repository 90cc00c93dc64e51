using Grid.Ledger.Persistence;
using Grid.Storage;
using Grid.Storage.Stores;

namespace Grid.Gateway.Tests.Support;

/// <summary>
/// The built silo as a child process on a fresh SQLite store, with an admin key, shared by the tests of
/// one class (each test uses accounts of its own). <see cref="Store"/> reads the same file directly.
/// </summary>
public sealed class LedgerSiloFixture : IAsyncLifetime
{
    public const string AdminKey = "ledger-test-admin-key-0123456789";

    private readonly TemporaryDirectory _directory = new();
    private GridDatabase? _database;

    public SiloProcess Silo { get; private set; } = null!;

    public LedgerApi Api { get; private set; } = null!;

    /// <summary>Where the silo keeps its SQLite file (grid.db).</summary>
    public string DataDirectory => _directory.Combine("data");

    /// <summary>The silo's ledger store, opened from the test process.</summary>
    public ILedgerStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var dataDirectory = DataDirectory;
        Silo = SiloProcess.Start(_directory.Path, new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__DataDirectory"] = dataDirectory,
        });
        await Silo.WaitReadyAsync();
        Api = new LedgerApi(Silo.Http, AdminKey);
        _database = GridDatabase.Create(new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = dataDirectory });
        Store = new SqlLedgerStore(_database);
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _directory.Dispose();
    }
}
