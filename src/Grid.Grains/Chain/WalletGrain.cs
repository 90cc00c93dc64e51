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
    ILogger<WalletGrain> logger) : Grain, IWalletGrain, IRemindable
{
    private const string MoveReminder = "guest-balance-move";
    private const int MaxMoveAttempts = 8;

    /// <summary>How soon a move the silo could not finish is tried again (by reminder, so also on another silo).</summary>
    private static readonly TimeSpan MoveRetry = TimeSpan.FromSeconds(30);

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
        await FinishMoveAsync(); // a move begun by an earlier link ends first
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
        // What the wallet paid in as a guest goes with it: its owner just proved the wallet is theirs.
        if (await GrainFactory.GetGrain<IAccountGrain>(GuestAccountId).Get() is { Status: AccountStatus.Active, Balance.Available: > 0 and var available })
        {
            // The reminder before the move is written down: a silo that stops after the write leaves it to finish the move.
            await Context.RegisterOrUpdateReminderAsync(MoveReminder, MoveRetry, MoveRetry);
            state.State.Move = new GuestBalanceMove { MoveId = Guid.NewGuid().ToString("N"), ToAccountId = accountId, Amount = available };
        }

        await state.WriteStateAsync();
        logger.LogInformation("Wallet {Wallet} linked to account {AccountId} (was {Previous})", GrainId.Key, accountId, previous ?? "its guest account");
        await FinishMoveAsync();
        return View();
    }

    public async Task<WalletView> Unlink(string accountId)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        await FinishMoveAsync();
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

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != MoveReminder)
        {
            return;
        }

        if (state.State.Move is null)
        {
            await Context.UnregisterReminderAsync(MoveReminder);
            return;
        }

        await FinishMoveAsync();
    }

    /// <summary>
    /// Takes the move's amount off the guest account, then credits it to the linked account, both under the move's
    /// operation id, so doing it again after a stop changes nothing that was done. A guest that spent some of it
    /// meanwhile gets a smaller move under a new id; a guest that cannot be debited (frozen, closed) keeps its balance.
    /// </summary>
    private async Task FinishMoveAsync()
    {
        if (state.State.Move is not { } move)
        {
            return;
        }

        var guest = GrainFactory.GetGrain<IAccountGrain>(GuestAccountId);
        var reference = $"wallet-link:{GrainId.Key}";
        while (true)
        {
            try
            {
                await guest.Execute(new Debit(move.OperationId(), move.Amount, reference));
                break;
            }
            catch (LedgerException refused) when (refused.Code == LedgerErrorCodes.InsufficientFunds && move.Attempt + 1 < MaxMoveAttempts)
            {
                // Refused, so nothing was written under this id: move what is there now under the next one.
                var balance = await guest.GetBalance();
                if (balance.Available <= 0)
                {
                    await EndMoveAsync(move, "nothing is left on the guest account");
                    return;
                }

                move.Amount = balance.Available;
                move.Attempt++;
                await state.WriteStateAsync();
            }
            catch (LedgerException refused) when (refused.Code is not LedgerErrorCodes.Unavailable)
            {
                await EndMoveAsync(move, $"the guest account refused the debit ({refused.Code}); its balance stays there");
                return;
            }
        }

        try
        {
            await GrainFactory.GetGrain<IAccountGrain>(move.ToAccountId).Execute(new Deposit(move.OperationId(), move.Amount, reference));
        }
        catch (LedgerException refused) when (refused.Code is LedgerErrorCodes.AccountClosed or LedgerErrorCodes.NotFound)
        {
            // The account went between the link and the credit: the credits go back where they came from.
            await guest.Execute(new Deposit(move.OperationId() + ":back", move.Amount, reference));
            await EndMoveAsync(move, $"account {move.ToAccountId} refused the credit ({refused.Code}); returned to the guest account");
            return;
        }

        await EndMoveAsync(move, null);
    }

    private async Task EndMoveAsync(GuestBalanceMove move, string? notMoved)
    {
        state.State.Move = null;
        await state.WriteStateAsync();
        await Context.UnregisterReminderAsync(MoveReminder);
        if (notMoved is null)
        {
            logger.LogInformation("Wallet {Wallet}: {Amount} credits moved from its guest account to {AccountId}", GrainId.Key, move.Amount, move.ToAccountId);
        }
        else
        {
            logger.LogWarning("Wallet {Wallet}: guest balance not moved to {AccountId}: {Reason}", GrainId.Key, move.ToAccountId, notMoved);
        }
    }

    private WalletView View() => new(GrainId.Key, state.State.LinkedAccountId, GuestAccountId, state.State.LinkedAt);
}
