using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Grid.Bench.Ledger;
using Grid.Chain.TestKit;
using Grid.Chain.TestKit.Contracts;
using Grid.Grains.Chain;
using Grid.Storage;
using Grid.TestKit;

namespace Grid.Bench.Chain;

/// <summary>
/// The built silo (Release) as a child process on SQLite in its own directory, watching one chain as
/// <see cref="Settings"/> says, as the chain tests run it. Credits are read back from its database file.
/// </summary>
public sealed class ChainBenchSilo : IAsyncDisposable
{
    public const string AdminKey = "bench-chain-admin-key-0123456789";

    /// <summary>1 credit per 10^12 wei.</summary>
    public const long CreditsPerEth = 1_000_000;

    /// <summary>1 credit per 10^4 units of the 6-decimal test token.</summary>
    public const long CreditsPerToken = 100;

    private const int TokenDecimals = ChainDeployment.TokenDecimals;
    private const string TokenSecret = "bench-chain-token-secret-0123456789abcdef";

    /// <summary>What ChainWatcherStarter logs once the watcher is active (and scanning: its timer starts at activation).</summary>
    private const string WatcherStarted = "watcher started";

    private const string CreditsSql =
        "SELECT COUNT(*), MIN(at), MAX(at) FROM processed_events WHERE source = 'chain' AND type = 'deposit.credited'";

    private const string CreditTimesSql =
        "SELECT at FROM processed_events WHERE source = 'chain' AND type = 'deposit.credited' ORDER BY at";

    // A state row's version counts its writes: the first is 1.
    private const string StateWritesSql = "SELECT state_name, COUNT(*), SUM(version) FROM grain_state GROUP BY state_name ORDER BY state_name";

    public static readonly BigInteger WeiPerCredit = BigInteger.Pow(10, 18) / CreditsPerEth;

    public static readonly BigInteger TokenUnitsPerCredit = BigInteger.Pow(10, TokenDecimals) / CreditsPerToken;

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(120);

    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;
    private SiloProcess _process;
    private GridDatabase? _database;

    private ChainBenchSilo(string directory, Dictionary<string, string> environment, SiloProcess process)
    {
        _directory = directory;
        _environment = environment;
        _process = process;
    }

    public HttpClient Http => _process.Http;

    /// <summary>What the silo printed (it logs each credit), for failure messages.</summary>
    public IReadOnlyList<string> Output => _process.Output;

    /// <summary>When this process saw the watcher's start in the silo's log (its first scan starts as it activates).</summary>
    public DateTimeOffset? WatcherStartedAt { get; private set; }

    /// <summary>The silo's CPU time when the watcher's start was seen.</summary>
    public TimeSpan ProcessorTimeAtWatcherStart { get; private set; }

    /// <summary>The silo process's CPU time so far (user and system).</summary>
    public TimeSpan ProcessorTime() => new ServerProcesses(_process.ProcessId).ProcessorTime();

    /// <summary>The chain as the catch-up and latency runs configure it; the bare scan reads with the same settings.</summary>
    public static ChainSettings Settings(TestChain chain, int confirmations, TimeSpan pollInterval)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return new ChainSettings
        {
            ChainId = (ulong)chain.Node.Options.ChainId,
            RpcUrl = chain.Node.RpcUrl.ToString(),
            DepositContract = chain.Contracts.Deposit,
            Treasury = chain.Treasury,
            Confirmations = confirmations,
            StartBlock = 0,
            PollInterval = pollInterval,
            Tokens = [new TokenSettings { Symbol = "USDC", Address = chain.Contracts.Token, Decimals = TokenDecimals, CreditsPerToken = CreditsPerToken }],
            Eth = new EthSettings { CreditsPerEth = CreditsPerEth },
        };
    }

    /// <summary>Starts a silo on a new database in <paramref name="directory"/> and waits until it is ready and its watcher has started.</summary>
    public static async Task<ChainBenchSilo> StartAsync(ChainSettings chain, string directory)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var environment = new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Auth__TokenSecret"] = TokenSecret,
            ["Grid__Storage__DataDirectory"] = DataDirectory(directory),
            // Intents and payment reads carry no credential and share one address's bucket: it runs but never refuses.
            ["Grid__RateLimits__AnonymousPermitsPerSecond"] = "1000000",
            ["Grid__RateLimits__AnonymousBurst"] = "1000000",
            ["Grid__RateLimits__AnonymousIntentsPerMinute"] = "1000000",
            ["Grid__RateLimits__AnonymousIntentBurst"] = "1000000",
            ["Grid__RateLimits__PermitsPerSecond"] = "1000000",
            ["Grid__RateLimits__Burst"] = "1000000",
            ["Grid__Chains__0__ChainId"] = Text(chain.ChainId),
            ["Grid__Chains__0__RpcUrl"] = chain.RpcUrl!,
            ["Grid__Chains__0__DepositContract"] = chain.DepositContract!,
            ["Grid__Chains__0__Treasury"] = chain.Treasury!,
            ["Grid__Chains__0__Confirmations"] = Text(chain.Confirmations),
            ["Grid__Chains__0__StartBlock"] = Text(chain.StartBlock ?? 0),
            ["Grid__Chains__0__PollInterval"] = chain.PollInterval.ToString("c", CultureInfo.InvariantCulture),
            ["Grid__Chains__0__InitialLogRange"] = Text(chain.InitialLogRange),
            ["Grid__Chains__0__MaxLogRange"] = Text(chain.MaxLogRange),
            ["Grid__Chains__0__ReorgWindow"] = Text(chain.ReorgWindow),
            ["Grid__Chains__0__Eth__CreditsPerEth"] = Text(CreditsPerEth),
        };
        for (var i = 0; i < chain.Tokens.Count; i++)
        {
            var token = chain.Tokens[i];
            environment[$"Grid__Chains__0__Tokens__{i}__Symbol"] = token.Symbol!;
            environment[$"Grid__Chains__0__Tokens__{i}__Address"] = token.Address!;
            environment[$"Grid__Chains__0__Tokens__{i}__Decimals"] = Text(token.Decimals);
            environment[$"Grid__Chains__0__Tokens__{i}__CreditsPerToken"] = token.CreditsPerToken.ToString(CultureInfo.InvariantCulture);
        }

        var silo = new ChainBenchSilo(directory, environment, SiloProcess.Start(directory, environment));
        try
        {
            await silo.WaitStartedAsync();
            // Opened once the silo has made and migrated the file.
            silo._database = GridDatabase.Create(new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = DataDirectory(directory) });
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    /// <summary>Stops the silo gracefully and starts it again on the same database.</summary>
    public async Task RestartAsync()
    {
        await _process.TerminateAsync(TimeSpan.FromSeconds(60));
        await _process.DisposeAsync();
        _process = SiloProcess.Start(_directory, _environment);
        await WaitStartedAsync();
    }

    public async Task<CreditTally> ReadCreditsAsync(CancellationToken cancellationToken)
    {
        await foreach (var tally in ReadAsync(CreditsSql, Tally, cancellationToken))
        {
            return tally;
        }

        throw new InvalidOperationException("COUNT(*) returned no row.");
    }

    /// <summary>The longest time between two consecutive chain credits, and the time of the credit that ended it.</summary>
    public async Task<(TimeSpan Pause, DateTimeOffset EndedAt)> ReadLongestPauseAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var longest = (Pause: TimeSpan.Zero, EndedAt: since);
        var previous = since;
        await foreach (var at in ReadAsync(CreditTimesSql, r => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)), cancellationToken))
        {
            if (at - previous > longest.Pause)
            {
                longest = (at - previous, at);
            }

            previous = at;
        }

        return longest;
    }

    /// <summary>Grain state rows by state name, and their writes in all (a row's version counts its writes).</summary>
    public async Task<IReadOnlyList<(string State, long Rows, long Writes)>> ReadStateWritesAsync(CancellationToken cancellationToken)
    {
        var rows = new List<(string, long, long)>();
        await foreach (var row in ReadAsync(StateWritesSql, r => (r.GetString(0), r.GetInt64(1), r.GetInt64(2)), cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>A request with the admin key; fails on anything but success, with the answer's body.</summary>
    public async Task<JsonElement> AdminAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return await SendAsync(request, json, cancellationToken);
    }

    /// <summary>A request without credentials; fails on anything but success, with the answer's body.</summary>
    public async Task<JsonElement> AnonymousAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        return await SendAsync(request, json, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private async IAsyncEnumerable<T> ReadAsync<T>(string sql, Func<DbDataReader, T> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var database = _database ?? throw new InvalidOperationException("The silo has not started.");
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return read(reader);
        }
    }

    private static CreditTally Tally(DbDataReader row) =>
        row.GetInt64(0) == 0
            ? new CreditTally(0, null, null)
            : new CreditTally(row.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(2)));

    private static string DataDirectory(string directory) => Path.Combine(directory, "data");

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, string? json, CancellationToken cancellationToken)
    {
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Waits for the watcher's start in the log (noting when it was seen), then for readiness.</summary>
    private async Task WaitStartedAsync()
    {
        var clock = Stopwatch.StartNew();
        var seen = 0;
        WatcherStartedAt = null;
        while (WatcherStartedAt is null)
        {
            if (_process.HasExited || clock.Elapsed > StartPatience)
            {
                throw new InvalidOperationException($"The silo's chain watcher did not start:\n{string.Join('\n', _process.Output.TakeLast(40))}");
            }

            var output = _process.Output;
            if (output.Skip(seen).Any(line => line.Contains(WatcherStarted, StringComparison.Ordinal)))
            {
                WatcherStartedAt = TimeProvider.System.GetUtcNow();
                ProcessorTimeAtWatcherStart = ProcessorTime();
            }

            seen = output.Count;
            await Task.Delay(10);
        }

        await _process.WaitReadyAsync(StartPatience);
    }
}
