using System.Globalization;
using Grid.Bench.Ledger;
using Grid.Client;
using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;

namespace Grid.Bench.Cluster;

/// <summary>The ledger on N clustered silos in this process, called as a game server would: one embedded GridClient.</summary>
public sealed class ClientLedgerTarget : ILedgerTarget
{
    private const long SetupEntriesPerAccount = 2;

    private readonly BenchStore _store;
    private readonly List<BenchSilo> _silos;
    private readonly GridClient _client;
    private IAccountGrain[] _accounts = [];
    private string _accountPrefix = string.Empty;

    private ClientLedgerTarget(string name, BenchStore store, List<BenchSilo> silos, GridClient client)
    {
        Name = name;
        _store = store;
        _silos = silos;
        _client = client;
    }

    public string Name { get; }

    public static async Task<ClientLedgerTarget> StartAsync(BenchStore store, string name, int silos)
    {
        var started = new List<BenchSilo>();
        for (var i = 0; i < silos; i++)
        {
            started.Add(await BenchSilo.StartAsync(store.GridStorage, $"{name}-{i}", ClusterBenchmark.FreePort()));
        }

        // Silos of other sides share the table; each side's silos settle among themselves and beyond.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var options = new GridClientOptions { Endpoints = [started[0].Endpoint], Secret = BenchSilo.Secret };
        options.ExceptionCodecs.Add(new LedgerExceptionCodec());
        var client = await GridClient.ConnectAsync(options);
        return new ClientLedgerTarget($"{silos} silo(s)", store, started, client);
    }

    public async Task PrepareAsync(LedgerWorkload workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        _accountPrefix = $"{Name.Replace(' ', '-')}-{workload.Name}-";
        _accounts = Enumerable.Range(0, workload.Accounts)
            .Select(i => _client.GetGrain<IAccountGrain>(_accountPrefix + i.ToString(CultureInfo.InvariantCulture)))
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

    public Task<bool> HoldAsync(int account, string holdId, long amount) => ExecuteAsync(account, new PlaceHold(holdId, amount));

    public Task<bool> CaptureAsync(int account, string operationId, string holdId, long amount) =>
        ExecuteAsync(account, new CaptureHold(operationId, holdId, amount));

    public Task<bool> DebitAsync(int account, string operationId, long amount) => ExecuteAsync(account, new Debit(operationId, amount));

    public Task<bool> DepositAsync(int account, string operationId, long amount) => ExecuteAsync(account, new Deposit(operationId, amount));

    public async Task<long> CountJournalAsync(CancellationToken cancellationToken) =>
        await _store.CountJournalAsync(_accountPrefix, cancellationToken) - (SetupEntriesPerAccount * _accounts.Length);

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
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
