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

    /// <summary>Signs the silo's guest and wallet tokens.</summary>
    public const string TokenSecret = "ledger-test-token-secret-0123456789abcdef";

    /// <summary>Shorter than the 15 s default, so a test sees heartbeats without waiting long.</summary>
    public static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(2);

    /// <summary>Shorter than the 30 s default, so a stalled subscriber is cut off within a test.</summary>
    public static readonly TimeSpan StreamWriteTimeout = TimeSpan.FromSeconds(3);

    public const string SiweDomain = "app.creditgrid.test";

    public const string SiweUri = "https://app.creditgrid.test/login";

    public const long SiweChainId = 31337;

    private readonly TemporaryDirectory _directory = new();
    private GridDatabase? _database;

    public SiloProcess Silo { get; private set; } = null!;

    public LedgerApi Api { get; private set; } = null!;

    /// <summary>The silo's database, opened from the test process.</summary>
    public GridDatabase Database => _database ?? throw new InvalidOperationException("Not initialized.");

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
            ["Grid__Auth__TokenSecret"] = TokenSecret,
            // Tests send bursts of bad tokens from one address; RateLimitTests checks the limits on a silo of its own.
            ["Grid__RateLimits__AnonymousPermitsPerSecond"] = "10000",
            ["Grid__RateLimits__AnonymousBurst"] = "10000",
            ["Grid__RateLimits__FailedKeysPerSecond"] = "10000",
            ["Grid__RateLimits__FailedKeyBurst"] = "10000",
            ["Grid__Streams__HeartbeatPeriod"] = HeartbeatPeriod.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["Grid__Streams__WriteTimeout"] = StreamWriteTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["Grid__Streams__MaxPerAccount"] = "256", // a test fans one account out to 200 subscribers
            ["Grid__RateLimits__GuestAccountBurst"] = "10000", // many tests sign in fresh wallets from one address
            ["Grid__Auth__Siwe__Domain"] = SiweDomain,
            ["Grid__Auth__Siwe__Uri"] = SiweUri,
            ["Grid__Auth__Siwe__ChainIds__0"] = SiweChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
