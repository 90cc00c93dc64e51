using System.Globalization;
using Grid.Chain.TestKit;
using Grid.Chain.TestKit.Contracts;
using Grid.Chain.TestKit.Proxy;
using Grid.Gateway.Tests.Support;
using Grid.Storage;
using Grid.Storage.Stores;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// A real Anvil chain with the grid's contracts, and the built silo watching it (SQLite, admin key, SIWE on the
/// chain's id), through a <see cref="FaultyRpcProxy"/> that passes everything until a test tells it otherwise.
/// Shared by the tests of one class, which run one after another; each uses payments and wallets of its own.
/// </summary>
public class ChainSiloFixture : IAsyncLifetime
{
    public const string AdminKey = LedgerSiloFixture.AdminKey;

    public const int Confirmations = 3;

    /// <summary>Recent block hashes the watcher keeps.</summary>
    public const int ReorgWindow = 64;

    /// <summary>Credits for one whole test token (6 decimals): 1 credit per 10,000 units.</summary>
    public const int CreditsPerToken = 100;

    /// <summary>Credits for one ETH: 1 credit per 10^12 wei.</summary>
    public const long CreditsPerEth = 1_000_000;

    public const long ChainId = 31337;

    private readonly ChainFixture _chains = new();
    private readonly TemporaryDirectory _directory = new();
    private GridDatabase? _database;

    public TestChain Chain { get; private set; } = null!;

    public FaultyRpcProxy Proxy { get; private set; } = null!;

    public SiloProcess Silo { get; private set; } = null!;

    public LedgerApi Api { get; private set; } = null!;

    public SqlLedgerStore Store { get; private set; } = null!;

    public GridDatabase Database => _database ?? throw new InvalidOperationException("Not initialized.");

    public string DataDirectory => _directory.Combine("data");

    /// <summary>
    /// Settings on top of the defaults, for a fixture of another kind (e.g. a small log range). An empty value
    /// unsets a default: the configuration binder reads "" as null for an optional setting.
    /// </summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>();

    /// <summary>The compiled contracts the chain was deployed from, to deploy more of them.</summary>
    public Task<ContractArtifacts> GetArtifactsAsync() => _chains.GetArtifactsAsync();

    public async Task InitializeAsync()
    {
        Chain = await _chains.StartChainAsync(null, CancellationToken.None);
        Proxy = await FaultyRpcProxy.StartAsync(Chain.Node.RpcUrl, CancellationToken.None);
        StartSilo();
        await Silo.WaitReadyAsync();
        _database = GridDatabase.Create(new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = DataDirectory });
        Store = new SqlLedgerStore(_database);
    }

    /// <summary>
    /// Starts the silo (again, after <see cref="SiloProcess.KillAsync"/>) on the same data and chain; <see cref="Api"/>
    /// then talks to the new one. The caller disposes the previous <see cref="SiloProcess"/>.
    /// </summary>
    /// <param name="overrides">Settings for this start only, over the fixture's own (a misconfigured silo).</param>
    public void StartSilo(int? port = null, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__DataDirectory"] = DataDirectory,
            ["Grid__Auth__TokenSecret"] = LedgerSiloFixture.TokenSecret,
            ["Grid__RateLimits__AnonymousPermitsPerSecond"] = "10000",
            ["Grid__RateLimits__AnonymousBurst"] = "10000",
            ["Grid__RateLimits__AnonymousIntentsPerMinute"] = "10000",
            ["Grid__RateLimits__AnonymousIntentBurst"] = "10000",
            ["Grid__Auth__Siwe__Domain"] = LedgerSiloFixture.SiweDomain,
            ["Grid__Auth__Siwe__Uri"] = LedgerSiloFixture.SiweUri,
            ["Grid__Auth__Siwe__ChainIds__0"] = Text(ChainId),
            ["Grid__Chains__0__ChainId"] = Text(ChainId),
            ["Grid__Chains__0__RpcUrl"] = Proxy.Url.ToString(),
            ["Grid__Chains__0__DepositContract"] = Chain.Contracts.Deposit,
            ["Grid__Chains__0__Treasury"] = Chain.Treasury,
            ["Grid__Chains__0__Confirmations"] = Text(Confirmations),
            ["Grid__Chains__0__StartBlock"] = "0",
            ["Grid__Chains__0__PollInterval"] = "00:00:00.200",
            ["Grid__Chains__0__ReorgWindow"] = Text(ReorgWindow),
            ["Grid__Chains__0__Tokens__0__Symbol"] = "USDC",
            ["Grid__Chains__0__Tokens__0__Address"] = Chain.Contracts.Token,
            ["Grid__Chains__0__Tokens__0__Decimals"] = "6",
            ["Grid__Chains__0__Tokens__0__CreditsPerToken"] = Text(CreditsPerToken),
            ["Grid__Chains__0__Eth__CreditsPerEth"] = Text(CreditsPerEth),
        };
        foreach (var (key, value) in ExtraSettings.Concat(overrides ?? new Dictionary<string, string>()))
        {
            settings[key] = value;
        }

        Silo = SiloProcess.Start(_directory.Path, settings, port);
        Api = new LedgerApi(Silo.Http, AdminKey);
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Proxy.DisposeAsync();
        await Chain.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _directory.Dispose();
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
