using Grid.Chain.Addresses;
using Grid.Contracts.Accounts;
using Grid.Contracts.Chain;
using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Chain;

/// <summary>
/// One wallet (key: EIP-55 address). Payments from it and sign-ins with it go to the account it is linked to, else
/// to its own guest account, opened on first need under an id derived from the address, so two silos opening it at
/// once meet at the same account.
/// </summary>
public sealed class WalletGrain(
    [PersistentState("wallet")] IPersistentState<WalletState> state,
    ILogger<WalletGrain> logger) : Grain, IWalletGrain
{
    private EthereumAddress Address => EthereumAddress.Parse(GrainId.Key);

    private string GuestAccountId => WalletAccountIds.For(GrainId.Key);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!EthereumAddress.IsChecksummed(GrainId.Key))
        {
            // One wallet, one grain: a key in another spelling would be a second grain for the same wallet.
            throw new InvalidOperationException($"A wallet grain is keyed by the EIP-55 address, not '{GrainId.Key}'.");
        }

        return Task.CompletedTask;
    }

    public async Task<string> ResolveAccount()
    {
        if (state.State.LinkedAccountId is { } linked)
        {
            return linked;
        }

        var id = GuestAccountId;
        var account = GrainFactory.GetGrain<IAccountGrain>(id);
        var existing = await account.Get();
        if (existing is not null && (!existing.Guest || existing.Name != Address.ToString()))
        {
            // The prefix is refused to POST /v1/accounts; this guards against an account made some other way.
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Account {id} exists but is not this wallet's own guest account.", "id");
        }

        if (existing is null)
        {
            try
            {
                await account.Execute(new OpenAccount(Name: Address.ToString(), Guest: true));
            }
            catch (LedgerException raced) when (raced.Code == LedgerErrorCodes.AlreadyExists)
            {
                // Opened by a concurrent call for the same wallet through another path.
            }
        }

        return id;
    }

    public async Task<WalletView> Link(string accountId)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        if (state.State.LinkedAccountId == accountId)
        {
            return View();
        }

        var account = await GrainFactory.GetGrain<IAccountGrain>(accountId).Get()
            ?? throw new LedgerException(LedgerErrorCodes.NotFound, $"There is no account {accountId}.", "accountId");
        if (account.Status == AccountStatus.Closed)
        {
            throw new LedgerException(LedgerErrorCodes.AccountClosed, $"Account {accountId} is closed.", "accountId");
        }

        if (account.Guest)
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, "A wallet is linked to a full account, not a guest account.", "accountId");
        }

        var previous = state.State.LinkedAccountId;
        state.State.LinkedAccountId = accountId;
        state.State.LinkedAt = Context.TimeProvider.GetUtcNow();
        await state.WriteStateAsync();
        logger.LogInformation("Wallet {Wallet} linked to account {AccountId} (was {Previous})", GrainId.Key, accountId, previous ?? "its guest account");
        return View();
    }

    public async Task<WalletView> Unlink(string accountId)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        if (state.State.LinkedAccountId != accountId)
        {
            throw new LedgerException(LedgerErrorCodes.NotFound, $"Wallet {GrainId.Key} is not linked to account {accountId}.", "address");
        }

        state.State.LinkedAccountId = null;
        state.State.LinkedAt = null;
        await state.WriteStateAsync();
        logger.LogInformation("Wallet {Wallet} unlinked from account {AccountId}", GrainId.Key, accountId);
        return View();
    }

    public Task<WalletView> Get() => Task.FromResult(View());

    private WalletView View() => new(GrainId.Key, state.State.LinkedAccountId, GuestAccountId, state.State.LinkedAt);
}
