using System.Globalization;
using Grid.Contracts.Accounts;
using Grid.Grains.Hosting;
using Grid.Grains.Ledger;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Storage;
using Grid.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Bench.Ledger;

/// <summary>
/// The grid: a silo in this process (storage, grain runtime, ledger, as the silo host composes them)
/// whose account grains are called through their interface, as an embedded client would.
/// </summary>
public sealed class GridTarget : ILedgerTarget
{
    // Each account is set up by two entries: open and the funding deposit.
    private const long SetupEntriesPerAccount = 2;

    private readonly IHost _host;
    private readonly BenchStore _store;
    private readonly string _prefix;
    private IAccountGrain[] _accounts = [];
    private string _accountPrefix = string.Empty;

    private GridTarget(string name, IHost host, BenchStore store, string prefix)
    {
        Name = name;
        _host = host;
        _store = store;
        _prefix = prefix;
    }

    public string Name { get; }

    /// <param name="merge">The silo-wide writer's <c>MergeAppends</c>: off, each account's group commit is its own transaction.</param>
    /// <param name="writers">The silo-wide writer's concurrent transactions; null keeps the default.</param>
    /// <param name="announce">Journal appends notify listeners (<c>Grid:Storage:AnnounceJournal</c>).</param>
    public static async Task<GridTarget> StartAsync(BenchStore store, string prefix, bool merge, int? writers, bool announce)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        var storage = store.GridStorage;
        builder.Services.AddGridStorage(new StorageOptions
        {
            Provider = storage.Provider,
            ConnectionString = storage.ConnectionString,
            DataDirectory = storage.DataDirectory,
            AnnounceJournal = announce,
        });
        builder.Services.AddGrainRuntime();
        builder.Services.AddLedger(configure: options =>
        {
            options.MergeAppends = merge;
            options.Writers = writers ?? options.Writers;
        });
        var host = builder.Build();
        await host.StartAsync();
        var settings = host.Services.GetRequiredService<IOptions<LedgerOptions>>().Value;
        var name = (merge ? $"grid (Writers={settings.Writers?.ToString() ?? "store default"})" : "grid, MergeAppends=false") + (announce ? ", announcing" : string.Empty);
        return new GridTarget(name, host, store, prefix);
    }

    public async Task PrepareAsync(LedgerWorkload workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var grains = _host.Services.GetRequiredService<GrainRuntime>();
        _accountPrefix = $"{_prefix}-{workload.Name}-";
        _accounts = Enumerable.Range(0, workload.Accounts)
            .Select(i => grains.GetGrain<IAccountGrain>(_accountPrefix + i.ToString(CultureInfo.InvariantCulture)))
            .ToArray();
        await Parallel.ForEachAsync(
            _accounts,
            new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (account, _) =>
            {
                await account.Execute(new OpenAccount());
                await account.Execute(new Deposit("funding", LedgerWorkload.Funding));
            });
    }

    public Task<bool> HoldAsync(int account, string holdId, long amount) =>
        ExecuteAsync(account, new PlaceHold(holdId, amount));

    public Task<bool> CaptureAsync(int account, string operationId, string holdId, long amount) =>
        ExecuteAsync(account, new CaptureHold(operationId, holdId, amount));

    public Task<bool> DebitAsync(int account, string operationId, long amount) =>
        ExecuteAsync(account, new Debit(operationId, amount));

    public Task<bool> DepositAsync(int account, string operationId, long amount) =>
        ExecuteAsync(account, new Deposit(operationId, amount));

    public async Task<long> CountJournalAsync(CancellationToken cancellationToken) =>
        await _store.CountJournalAsync(_accountPrefix, cancellationToken) - (SetupEntriesPerAccount * _accounts.Length);

    public async ValueTask DisposeAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(bound.Token);
        _host.Dispose();
    }

    private async Task<bool> ExecuteAsync(int account, LedgerCommand command)
    {
        try
        {
            await _accounts[account].Execute(command);
            return true;
        }
        catch (LedgerException refused) when (refused.Code == LedgerErrorCodes.InsufficientFunds)
        {
            return false;
        }
    }
}
