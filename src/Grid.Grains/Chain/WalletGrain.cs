using Grid.Chain.Addresses;
using Grid.Contracts.Accounts;
using Grid.Contracts.Chain;
using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Persistence;
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
        if (await FindAccount() is { } found)
        {
            return found;
        }

        try
        {
            await GrainFactory.GetGrain<IAccountGrain>(GuestAccountId).Execute(new OpenAccount(Name: Address.ToString(), Guest: true));
        }
        catch (LedgerException raced) when (raced.Code == LedgerErrorCodes.AlreadyExists)
        {
            // Opened by a concurrent call for the same wallet through another path.
        }

        return GuestAccountId;
    }

    public async Task<string?> FindAccount()
    {
        if (state.State.LinkedAccountId is { } linked)
        {
            var account = await GrainFactory.GetGrain<IAccountGrain>(linked).Get()
                ?? throw LedgerException.Unavailable($"Linked account {linked} could not be read just now (it exists: a link needs one); try again.");
            if (account.Status != AccountStatus.Closed)
            {
                return linked;
            }

            // A closed account takes no credit, for good: the wallet's payments would each go to review. The wallet is
            // its owner's again, so they go to its guest account, where a sign-in with it can reach them.
            await SaveAsync(state.State with { LinkedAccountId = null, LinkedAt = null });
            logger.LogWarning("Wallet {Wallet} unlinked from account {AccountId}: the account is closed", GrainId.Key, linked);
        }

        var id = GuestAccountId;
        var existing = await GrainFactory.GetGrain<IAccountGrain>(id).Get();
        if (existing is not null && (!existing.Guest || existing.Name != Address.ToString()))
        {
            // The prefix is refused to POST /v1/accounts; this guards against an account made some other way.
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Account {id} exists but is not this wallet's own guest account.", "id");
        }

        return existing is null ? null : id;
    }

    public async Task<WalletView> Link(string accountId)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        await FinishMoveAsync(); // a move begun by an earlier link ends first
        // Checked before "linked already": a link to an account closed since must not move the guest's credits there again.
        WalletLinkTarget.Require(await GrainFactory.GetGrain<IAccountGrain>(accountId).Get(), accountId);

        if (state.State.LinkedAccountId == accountId)
        {
            // Linked already: credits that reached the guest account since (a payment begun before the link) go too.
            await BeginMoveAsync(accountId, state.State.LinkedAt);
            return View();
        }

        var previous = state.State.LinkedAccountId;
        await BeginMoveAsync(accountId, Context.TimeProvider.GetUtcNow());
        logger.LogInformation("Wallet {Wallet} linked to account {AccountId} (was {Previous})", GrainId.Key, accountId, previous ?? "its guest account");
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

        await SaveAsync(state.State with { LinkedAccountId = null, LinkedAt = null });
        logger.LogInformation("Wallet {Wallet} unlinked from account {AccountId}", GrainId.Key, accountId);
        return View();
    }

    public Task<WalletView> Get() => Task.FromResult(View());

    public async Task<WalletView> HandOnGuestBalance()
    {
        await FinishMoveAsync();
        if (state.State.LinkedAccountId is { } linked)
        {
            await BeginMoveAsync(linked, state.State.LinkedAt); // moves nothing beside a stuck move, as a link would not
        }

        return View();
    }

    public async Task<LedgerResult> ReverseGuestCredit(Reverse reversal, ProcessedEvent processedEvent, long? creditSequence)
    {
        ArgumentNullException.ThrowIfNull(reversal);
        ArgumentNullException.ThrowIfNull(processedEvent);
        // A move is under way or parked (its debit may be made), or one debited the guest after the credit: the credit may
        // be on another account now, whatever the link is since.
        var wallet = state.State;
        var mayHaveMoved = wallet.LinkedAccountId is not null || wallet.Move is not null
            || (wallet.HandedOnThrough is { } movedThrough && (creditSequence is not { } credit || credit < movedThrough));
        return await GrainFactory.GetGrain<IAccountGrain>(GuestAccountId).ExecuteRecording(reversal with { WithinAvailable = mayHaveMoved }, processedEvent);
    }

    public async Task<WalletView> ReleaseStuckMove(string operationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationId);
        if (state.State.Move is not { } move || move.OperationId() != operationId)
        {
            throw new LedgerException(LedgerErrorCodes.NotFound, $"Wallet {GrainId.Key} has no stuck move {operationId}.", "operationId");
        }

        if (move.Stuck is null)
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Move {operationId} of wallet {GrainId.Key} is under way, not stuck: it finishes by itself.", "operationId");
        }

        // Settled by hand, its credits may have left the guest all the same: guest credits up to now count as possibly
        // moved (a reversal of one takes no more than the guest has), whatever the link is later.
        var guest = await GrainFactory.GetGrain<IAccountGrain>(GuestAccountId).GetBalance();
        await SaveAsync(state.State with { Move = null, HandedOnThrough = Later(state.State.HandedOnThrough, guest.Sequence + 1) });
        logger.LogWarning(
            "Wallet {Wallet}: stuck move {OperationId} of {Amount} credits to {AccountId} released as settled by a person; the guest balance moves again",
            GrainId.Key, operationId, move.Amount, move.ToAccountId);
        return View();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != MoveReminder)
        {
            return;
        }

        // From the store, not memory: a write that failed here may still have landed, move and all.
        await state.ReadStateAsync();
        if (state.State.Move is not { Stuck: null })
        {
            await Context.UnregisterReminderAsync(MoveReminder);
            return;
        }

        await FinishMoveAsync();
    }

    /// <summary>
    /// Saves the link to <paramref name="accountId"/> together with a move of whatever the guest account has available
    /// (what the wallet paid in as a guest goes with it: its owner just proved the wallet is theirs), then makes the
    /// move. Once the link is saved, a move that cannot finish now is left to the reminder, not reported as a failure.
    /// </summary>
    private async Task BeginMoveAsync(string accountId, DateTimeOffset? linkedAt)
    {
        var stuck = state.State.Move; // FinishMoveAsync ran first: null, or a stuck move kept for a person
        GuestBalanceMove? move = null;
        if (stuck is null
            && await GrainFactory.GetGrain<IAccountGrain>(GuestAccountId).Get() is { Status: AccountStatus.Active, Balance.Available: > 0 and var available })
        {
            // The reminder before the move is written down: a silo that stops after the write leaves it to finish the move.
            await Context.RegisterOrUpdateReminderAsync(MoveReminder, MoveRetry, MoveRetry);
            move = new GuestBalanceMove { MoveId = Guid.NewGuid().ToString("N"), ToAccountId = accountId, Amount = available };
        }
        else if (state.State.LinkedAccountId == accountId)
        {
            return; // linked, nothing to move: nothing to write
        }

        await SaveAsync(state.State with { LinkedAccountId = accountId, LinkedAt = linkedAt, Move = move ?? stuck });
        if (move is null)
        {
            return;
        }

        try
        {
            await FinishMoveAsync();
        }
        catch (Exception unfinished)
        {
            logger.LogWarning("Wallet {Wallet}: the move of its guest balance to {AccountId} is left to the reminder: {Reason}", GrainId.Key, accountId, unfinished.Message);
        }
    }

    /// <summary>
    /// Takes the move's amount off the guest account, then credits it to the linked account, both under the move's
    /// operation id, so doing it again after a stop changes nothing that was done. A guest that spent some of it
    /// meanwhile gets a smaller move under a new id; a guest that cannot be debited (frozen, closed) keeps its balance.
    /// Transient failures leave the move for the reminder; a refusal that leaves the outcome unclear parks it (stuck).
    /// </summary>
    private async Task FinishMoveAsync()
    {
        if (state.State.Move is not { Stuck: null } move)
        {
            return;
        }

        var guest = GrainFactory.GetGrain<IAccountGrain>(GuestAccountId);
        var reference = $"wallet-link:{GrainId.Key}";
        long debited;
        while (true)
        {
            try
            {
                debited = (await guest.Execute(new Debit(move.OperationId(), move.Amount, reference))).Entry.Sequence;
                break;
            }
            catch (LedgerException refused) when (refused.Code == LedgerErrorCodes.InsufficientFunds && move.Attempt + 1 < MaxMoveAttempts)
            {
                // Refused, so nothing was written under this id: move what is there now under the next one.
                var available = refused.Available ?? (await guest.GetBalance()).Available;
                if (available <= 0)
                {
                    await EndMoveAsync(move, "nothing is left on the guest account");
                    return;
                }

                move = move with { Amount = available, Attempt = move.Attempt + 1 };
                await SaveAsync(state.State with { Move = move });
            }
            catch (LedgerException refused) when (refused.Code is LedgerErrorCodes.InsufficientFunds or LedgerErrorCodes.AccountFrozen
                or LedgerErrorCodes.AccountClosed or LedgerErrorCodes.NotFound or LedgerErrorCodes.NegativeBalance)
            {
                // A refusal writes nothing under the id, and a debit made under it earlier would have been answered as made.
                await EndMoveAsync(move, $"the guest account refused the debit ({refused.Code}); its balance stays there");
                return;
            }
            catch (LedgerException refused) when (refused.Code != LedgerErrorCodes.Unavailable)
            {
                await ParkAsync(move, $"the guest account answered the debit with {refused.Code}: {refused.Message}");
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
            await ReturnToGuestAsync(guest, move, reference, refused.Code, debited);
            return;
        }
        catch (LedgerException refused) when (refused.Code != LedgerErrorCodes.Unavailable)
        {
            await ParkAsync(move, $"the guest account was debited and account {move.ToAccountId} refused the credit with {refused.Code}: {refused.Message}", debited);
            return;
        }

        await EndMoveAsync(move, null, debited);
    }

    private async Task ReturnToGuestAsync(IAccountGrain guest, GuestBalanceMove move, string reference, string refusedCode, long debited)
    {
        try
        {
            await guest.Execute(new Deposit(move.OperationId() + ":back", move.Amount, reference));
        }
        catch (LedgerException refused) when (refused.Code != LedgerErrorCodes.Unavailable)
        {
            await ParkAsync(move, $"account {move.ToAccountId} refused the credit ({refusedCode}) and the guest account refused it back ({refused.Code})", debited);
            return;
        }

        // An account that is closed or gone will refuse every later credit too: the link goes with the move.
        await EndMoveAsync(move, $"account {move.ToAccountId} refused the credit ({refusedCode}); it went back to the guest account", unlink: true);
    }

    /// <param name="debited">The guest's journal sequence of the move's debit, when its credits left the guest account.</param>
    private async Task EndMoveAsync(GuestBalanceMove move, string? notMoved, long? debited = null, bool unlink = false)
    {
        var next = state.State with { Move = null, HandedOnThrough = Later(state.State.HandedOnThrough, debited) };
        if (unlink && next.LinkedAccountId == move.ToAccountId)
        {
            next = next with { LinkedAccountId = null, LinkedAt = null };
        }

        await SaveAsync(next);
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

    /// <summary>Keeps the move, marked stuck, for a person to settle: retrying cannot help, and it must not hold up the wallet.</summary>
    private async Task ParkAsync(GuestBalanceMove move, string reason, long? debited = null)
    {
        await SaveAsync(state.State with { Move = move with { Stuck = reason }, HandedOnThrough = Later(state.State.HandedOnThrough, debited) });
        await Context.UnregisterReminderAsync(MoveReminder);
        logger.LogError(
            "Wallet {Wallet}: the move {OperationId} of {Amount} credits from {Guest} to {AccountId} is stuck and needs a person: {Reason}",
            GrainId.Key, move.OperationId(), move.Amount, GuestAccountId, move.ToAccountId, reason);
    }

    /// <summary>
    /// Writes <paramref name="next"/> as the wallet's state; memory keeps the old state unless the write succeeded, so
    /// nothing is ever acted on that was not saved (a write that landed despite an error is found by the next read or
    /// refuses the next write, which deactivates the grain).
    /// </summary>
    private async Task SaveAsync(WalletState next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }

    private static long? Later(long? kept, long? debited) => kept is { } k && debited is { } d ? Math.Max(k, d) : kept ?? debited;

    private WalletView View() => new(
        GrainId.Key,
        state.State.LinkedAccountId,
        GuestAccountId,
        state.State.LinkedAt,
        state.State.Move is { Stuck: { } reason } stuck ? new StuckMoveView(stuck.OperationId(), stuck.ToAccountId, stuck.Amount, reason) : null);
}
