using System.Globalization;
using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;

namespace Grid.Bench.Ledger;

/// <summary>
/// A side whose operations are account grain calls: in-process silos or an embedded client. Subclasses say
/// where grains come from and how to stop; accounts, operations and the journal count are the same for all.
/// </summary>
public abstract class AccountGrainTarget(string name, BenchStore store, string prefix) : ILedgerTarget
{
    // Each account is set up by two entries: open and the funding deposit.
    private const long SetupEntriesPerAccount = 2;

    private IAccountGrain[] _accounts = [];
    private string _accountPrefix = string.Empty;

    public string Name { get; } = name;

    /// <summary>What every prepared account's id starts with.</summary>
    public string AccountPrefix => _accountPrefix;

    public string AccountId(int account) => _accountPrefix + account.ToString(CultureInfo.InvariantCulture);

    /// <summary>Where this side gets its account grains.</summary>
    protected abstract IGrainFactory Grains { get; }

    public async Task PrepareAsync(LedgerWorkload workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        _accountPrefix = $"{prefix}-{workload.Name}-";
        _accounts = Enumerable.Range(0, workload.Accounts)
            .Select(i => Grains.GetGrain<IAccountGrain>(_accountPrefix + i.ToString(CultureInfo.InvariantCulture)))
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
        await store.CountJournalAsync(_accountPrefix, cancellationToken) - (SetupEntriesPerAccount * _accounts.Length);

    public abstract ValueTask DisposeAsync();

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
