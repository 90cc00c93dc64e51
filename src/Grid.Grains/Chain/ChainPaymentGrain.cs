using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Grid.Chain.Abi;
using Grid.Chain.Addresses;
using Grid.Chain.Primitives;
using Grid.Contracts.Accounts;
using Grid.Contracts.Chain;
using Grid.Contracts.Payments;
using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Chain;

/// <summary>
/// One on-chain payment. Not reentrant: sightings are handled one at a time. It holds one deposit at most: an intent
/// takes the first deposit that names it from the wallet it was made for, on its chain and in its token, and hands
/// any other to that deposit's own payment, every time the same way, so a deposit is credited by one payment only.
/// Each credit (and each reversal after a reorg) is a ledger command with an id derived from the payment and the
/// inclusion's number, recorded with the deposit's key in processed_events in the same transaction.
/// </summary>
public sealed class ChainPaymentGrain(
    [PersistentState("chain-payment")] IPersistentState<ChainPaymentState> state,
    ChainCatalog catalog,
    CreditRates rates,
    ILogger<ChainPaymentGrain> logger) : Grain, IChainPaymentGrain
{
    /// <summary>The <see cref="ProcessedEvent.Source"/> of chain deposits.</summary>
    public const string EventSource = "chain";

    private string PaymentId => GrainId.Key;

    private ChainPaymentState State => state.State;

    private DateTimeOffset Now => Context.TimeProvider.GetUtcNow();

    /// <summary>Whether the payment credits (or credited) its wallet's own guest account.</summary>
    private bool OnGuestAccount => State.AccountId == WalletAccountIds.For(State.Wallet);

    public async Task<ChainPaymentView> CreateIntent(OnchainIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var chain = catalog.Find(intent.ChainId) ?? throw LedgerException.Invalid("chainId", $"Chain {intent.ChainId} is not configured here.");
        var isEther = string.Equals(intent.Token, WatchedChain.Ether, StringComparison.OrdinalIgnoreCase);
        var token = isEther ? null : chain.FindToken(intent.Token);
        if (isEther ? !chain.TakesEther : token is null)
        {
            throw LedgerException.Invalid("token", $"Chain {intent.ChainId} does not take {intent.Token}; it takes {string.Join(", ", Symbols(chain))}.");
        }

        if (!isEther && intent.AmountCredits is null)
        {
            throw LedgerException.Invalid("amountCredits", "A token payment needs amountCredits: the token amount is part of the transaction.");
        }

        var wallet = EthereumAddress.Parse(intent.Wallet);
        var symbol = isEther ? WatchedChain.Ether : token!.Symbol;
        if (State.Exists)
        {
            RequireSameIntent(intent, wallet, symbol);
            return View();
        }

        if (intent.AccountId is { } accountId)
        {
            var account = await GrainFactory.GetGrain<IAccountGrain>(accountId).Get()
                ?? throw new LedgerException(LedgerErrorCodes.NotFound, $"There is no account {accountId}.", "accountId");
            if (account.Status == AccountStatus.Closed)
            {
                throw new LedgerException(LedgerErrorCodes.AccountClosed, $"Account {accountId} is closed.", "accountId");
            }
        }

        var rate = await rates.ForAsync(chain, symbol, CancellationToken.None);
        var units = intent.AmountCredits is { } credits ? rate.UnitsFor(credits) : (BigInteger?)null;
        var reference = DepositRefs.For(PaymentId);
        var unitsText = units?.ToString(CultureInfo.InvariantCulture);
        state.State = new ChainPaymentState
        {
            Exists = true,
            Kind = ChainPaymentKind.Intent,
            ChainId = chain.ChainId,
            Token = symbol,
            Wallet = wallet.ToString(),
            AccountId = intent.AccountId,
            RequestedAccountId = intent.AccountId,
            OperationId = intent.OperationId,
            AmountCredits = intent.AmountCredits,
            To = chain.DepositContract.ToString(),
            Value = isEther ? unitsText : "0",
            Data = HexQuantity.EncodeData(isEther
                ? new AbiEncoder("deposit(bytes32)").Bytes32(reference).Build()
                : new AbiEncoder("depositToken(address,uint256,bytes32)").Address(token!.Address).UInt256(units!.Value).Bytes32(reference).Build()),
            ApproveTo = token?.Address.ToString(),
            ApproveData = token is null ? null : HexQuantity.EncodeData(new AbiEncoder("approve(address,uint256)").Address(chain.DepositContract).UInt256(units!.Value).Build()),
            TokenAmount = unitsText,
            Credits = intent.AmountCredits ?? 0,
            RateNumerator = rate.NumeratorText,
            RateDenominator = rate.DenominatorText,
            CreatedAt = Now,
            ExpiresAt = Now + chain.Settings.IntentLifetime,
        };
        await state.WriteStateAsync();
        return View();
    }

    public async Task Observe(DepositSighting sighting)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        if (Route(sighting, create: true) is { } other)
        {
            await other.Grain.Observe(other.Sighting);
            return;
        }

        if (HoldsOtherUnderKeyOf(sighting.Deposit, "sighted"))
        {
            return;
        }

        if (See(sighting) || !State.OnChain)
        {
            State.OnChain = true;
            await state.WriteStateAsync();
        }
    }

    public async Task<ConfirmOutcome> Confirm(DepositSighting sighting)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        if (Route(sighting, create: true) is { } other)
        {
            return await other.Grain.Confirm(other.Sighting);
        }

        if (HoldsOtherUnderKeyOf(sighting.Deposit, "confirmed"))
        {
            return ConfirmOutcome.Review; // not its deposit, so not its credit either: the watcher settles it uncredited; the ALERT is its record
        }

        if (State.ReversalSent && State.Deposit is { } reversed)
        {
            // The deposit is back, but the reversal of its credit was sent and never answered: it is sent again first (the
            // account answers with what it did), so the credit of this inclusion is not taken for the reversed one.
            await Revert(reversed);
        }

        See(sighting);
        State.OnChain = true;
        if (State.ReviewReason is not null)
        {
            await state.WriteStateAsync();
            return ConfirmOutcome.Review;
        }

        if (State.CreditedNow)
        {
            await state.WriteStateAsync();
            return ConfirmOutcome.Credited;
        }

        var chain = catalog.Get(State.ChainId);
        if (State.PendingCredit is null)
        {
            // Fixed with the amount, not before: a credit that waits (no rate yet) goes where the wallet points when it is made.
            CreditRate rate;
            try
            {
                rate = State.RateNumerator is not null && State.ExpiresAt is { } expires && sighting.BlockTime <= expires
                    ? CreditRate.Parse(State.RateNumerator, State.RateDenominator!)
                    : await rates.ForAsync(chain, State.Token, CancellationToken.None);
            }
            catch (LedgerException unavailable) when (unavailable.IsRetryable)
            {
                logger.LogWarning("Payment {PaymentId}: not credited yet, no rate: {Reason}", PaymentId, unavailable.Message);
                await state.WriteStateAsync();
                return ConfirmOutcome.Retry;
            }
            catch (InvalidOperationException unpriced)
            {
                // What the chain sells no credits for (ETH on a chain that takes tokens only, a token since unlisted): the
                // deposit settles for a person to look at, instead of being asked again every tick and holding up the scan.
                // Nothing will be credited: the account is shown for whoever settles it.
                await ResolveAccountAsync();
                return await ReviewAsync($"no rate: {unpriced.Message}");
            }

            var amount = BigInteger.Parse(sighting.Deposit.Amount, NumberStyles.None, CultureInfo.InvariantCulture);
            State.TokenAmount = sighting.Deposit.Amount;
            var credits = rate.CreditsFor(amount);
            if (credits is null)
            {
                await ResolveAccountAsync();
                return await ReviewAsync("worth more credits than one payment may carry");
            }

            if (credits == 0)
            {
                // Dust: anyone can send the treasury thousands of these for next to nothing. No guest account is opened for
                // it and no person is called (one log line at warning): the payment records it, credited with nothing.
                return await ReviewAsync("worth less than one credit", dust: true);
            }

            await ResolveAccountAsync();
            State.PendingCredit = credits;
            await state.WriteStateAsync(); // the command is fixed before it is sent
        }

        try
        {
            await SendPendingCreditAsync(sighting);
        }
        catch (LedgerException refused) when (!refused.IsRetryable)
        {
            return await ReviewAsync($"account {State.AccountId} refused the credit ({refused.Code})");
        }

        if (OnGuestAccount)
        {
            await HandOnAsync();
        }

        return ConfirmOutcome.Credited;
    }

    /// <summary>
    /// Sends the fixed credit of the next inclusion and writes down that it was made. A replay (the answer lost before
    /// this grain wrote it down) returns the entry made the first time.
    /// </summary>
    private async Task<LedgerResult> SendPendingCreditAsync(DepositSighting sighting, bool depositGone = false)
    {
        var generation = State.Generation + 1;
        var deposit = State.Deposit ?? sighting.Deposit; // the held deposit: the very command again on a resend
        var command = new Deposit($"{RailOperationIds.ChainPrefix}{PaymentId}:credit:{generation}", State.PendingCredit!.Value, deposit.TransactionHash, Metadata(deposit));
        var result = await GrainFactory.GetGrain<IAccountGrain>(State.AccountId!).ExecuteRecording(command, Record(deposit, "deposit.credited", generation, sighting));
        var credited = result.Entry.Amount;
        State.CreditMadeAfterDepositGone = depositGone && !result.Replayed;
        State.Generation = generation;
        State.PendingCredit = null;
        State.CreditedNow = true;
        State.LastCredit = credited;
        State.LastCreditSequence = result.Entry.Sequence;
        State.Credited += credited;
        State.Credits = credited;
        await state.WriteStateAsync();
        logger.LogInformation(
            "Payment {PaymentId}: credited {Credits} to {AccountId} for deposit {Deposit} in block {Block}",
            PaymentId, credited, State.AccountId, sighting.Deposit.Key, sighting.BlockNumber);
        return result;
    }

    /// <summary>The credit is no longer standing (reversed, or left to a person): nothing of it is still on its way.</summary>
    private void ForgetCredit()
    {
        State.CreditedNow = false;
        State.ReversalSent = false;
        State.CreditMadeAfterDepositGone = false;
    }

    /// <summary>
    /// Before a deposit that left the chain is let go: a credit that was sent but never answered (a timeout, a stop
    /// before the answer was written down) may have been made, and would then stand with no deposit behind it. The
    /// very same command goes again, so the account either answers with the entry it made or makes it now; either way
    /// the payment then knows it is credited and takes it back. Asking the journal instead would not do: a command
    /// still on its way could land after the answer.
    /// </summary>
    private async Task<bool> SettleUnansweredCreditAsync()
    {
        if (State.CreditedNow)
        {
            return true;
        }

        if (State.PendingCredit is null || State.ReviewReason is not null || State.Deposit is not { } deposit)
        {
            // Nothing sent, or sent and refused (kept for review): a refusal is the account's answer, and a replay of a
            // command it had made would have answered with the entry instead.
            return false;
        }

        try
        {
            await SendPendingCreditAsync(new DepositSighting(deposit, State.BlockNumber ?? 0, State.BlockHash ?? "", default, State.Confirmations, State.Required), depositGone: true);
            return true;
        }
        catch (LedgerException conflict) when (conflict.Code == LedgerErrorCodes.IdempotencyConflict)
        {
            // The operation id was used, by a command that differs: whether it credited this deposit is not known here.
            State.ReviewReason = $"deposit {deposit.Key} left the chain while the answer to its credit was lost, and the account holds operation " +
                $"{RailOperationIds.ChainPrefix}{PaymentId}:credit:{State.Generation + 1} with other arguments ({conflict.Message}); settle by hand";
            await state.WriteStateAsync();
            logger.LogCritical("ALERT payment {PaymentId}: {Reason}", PaymentId, State.ReviewReason);
            return false;
        }
        catch (LedgerException refused) when (!refused.IsRetryable)
        {
            // Refused now, so never made: a replay is answered with its first entry whatever the account's state.
            logger.LogWarning("Payment {PaymentId}: the unanswered credit for gone deposit {Deposit} was not made ({Code})", PaymentId, deposit.Key, refused.Code);
            return false;
        }
    }

    /// <summary>
    /// A credit to the guest account may land after the wallet was linked (it was fixed before the link): the wallet hands
    /// it on, or its owner, who now signs in to the linked account, could never reach it.
    /// </summary>
    private async Task HandOnAsync()
    {
        try
        {
            await GrainFactory.GetGrain<IWalletGrain>(State.Wallet).HandOnGuestBalance();
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            // The credit stands; the wallet's next sign-in, next link or next credit moves the guest balance.
            logger.LogWarning("Payment {PaymentId}: the guest balance of {Wallet} was not handed on to its linked account: {Error}", PaymentId, State.Wallet, failed.Message);
        }
    }

    public async Task Drop(ChainDeposit deposit)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        if (Route(new DepositSighting(deposit, 0, "", default, 0, 0), create: false) is { } other)
        {
            await other.Grain.Drop(deposit);
            return;
        }

        if (HoldsOtherUnderKeyOf(deposit, "dropped"))
        {
            return;
        }

        if (State.Deposit?.Key == deposit.Key && (State.CreditedNow || State.PendingCredit is not null))
        {
            // The watcher's note that this deposit credited nothing can lag this payment's own record (its answer lost, or
            // a stop before it saved it): what the payment did decides, and a credit whose deposit is gone is taken back.
            await Revert(deposit);
            return;
        }

        if (State.Deposit?.Key == deposit.Key && State.OnChain)
        {
            State.OnChain = false;
            State.Confirmations = 0;
            await state.WriteStateAsync();
        }
    }

    public async Task Revert(ChainDeposit deposit)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        if (Route(new DepositSighting(deposit, 0, "", default, 0, 0), create: false) is { } other)
        {
            await other.Grain.Revert(deposit);
            return;
        }

        if (HoldsOtherUnderKeyOf(deposit, "reverted"))
        {
            return;
        }

        if (State.Deposit?.Key != deposit.Key)
        {
            return;
        }

        var credited = await SettleUnansweredCreditAsync();
        State.OnChain = false;
        State.Confirmations = 0;
        if (!credited)
        {
            await state.WriteStateAsync();
            return;
        }

        var held = State.Deposit!;
        var command = new Reverse($"{RailOperationIds.ChainPrefix}{PaymentId}:reversal:{State.Generation}", State.LastCredit, held.TransactionHash, Metadata(held));
        var record = Record(held, "deposit.reorged", State.Generation, null);
        // A guest credit goes back through the wallet, which decides in its own turn, with no move of the guest balance in
        // between, whether a move may have taken the credit along: then what the guest lacks is taken from no one by guess
        // (it would stand as a debt nobody settles, beside credits kept elsewhere) but settled by a person. A credit a
        // resend made after its deposit was gone was handed on to no one: its reversal only undoes it, whatever the
        // guest's balance. The wallet's choice is not among the command's arguments, so a resend made after it changed is
        // answered with what was done.
        var throughWallet = !State.CreditMadeAfterDepositGone && OnGuestAccount;
        // Written down before it is sent: should its answer be lost, a re-inclusion first sends it again (the account
        // answers with what it did), instead of taking the credit for one that still stands.
        State.ReversalSent = true;
        await state.WriteStateAsync();
        LedgerResult result;
        try
        {
            result = throughWallet
                ? await GrainFactory.GetGrain<IWalletGrain>(State.Wallet).ReverseGuestCredit(command, record, State.LastCreditSequence)
                : await GrainFactory.GetGrain<IAccountGrain>(State.AccountId!).ExecuteRecording(command, record);
        }
        catch (LedgerException refused) when (!refused.IsRetryable)
        {
            // The account will never take the reversal (closed after spending what was credited, say): the credit stays
            // where it went and a person settles it. Kept for review, so a re-inclusion credits nothing more and the
            // watcher can let the deposit go instead of asking again on every tick. Only a reversal bounded by what the
            // guest has is refused for funds.
            ForgetCredit();
            State.ReviewReason = throughWallet && refused.Code == LedgerErrorCodes.InsufficientFunds
                ? $"deposit {deposit.Key} was reorged out after {State.LastCredit} credits were credited to guest account {State.AccountId}, which has {refused.Available} left: the rest moved to the account its wallet is or was linked to (or was spent before the link); nothing was reversed, settle by hand"
                : $"deposit {deposit.Key} was reorged out after {State.LastCredit} credits were credited, and account {State.AccountId} refused their reversal ({refused.Code}); settle by hand";
            await state.WriteStateAsync();
            logger.LogCritical("ALERT payment {PaymentId}: {Reason}", PaymentId, State.ReviewReason);
            return;
        }

        ForgetCredit();
        State.Credited -= result.Entry.Amount;
        State.Reversed += result.Entry.Amount;
        await state.WriteStateAsync();
        logger.LogCritical(
            "ALERT payment {PaymentId}: deposit {Deposit} was reorged out after it was credited; {Credits} credits reversed on {AccountId}",
            PaymentId, deposit.Key, result.Entry.Amount, State.AccountId);
    }

    public Task<ChainPaymentView?> Get() => Task.FromResult(State.Exists ? View() : null);

    /// <summary>
    /// The payment that takes <paramref name="sighting"/>'s deposit when it is not this one; null when this one does
    /// (taking the deposit, which the caller writes down before it acts, so the choice is the same next time). A further deposit by an intent's own
    /// wallet goes with the intent's account, so paying twice credits the account the wallet meant.
    /// </summary>
    private (IChainPaymentGrain Grain, DepositSighting Sighting)? Route(DepositSighting sighting, bool create)
    {
        var deposit = sighting.Deposit;
        var own = ChainPaymentIds.ForDeposit(deposit);
        if (!State.Exists)
        {
            if (PaymentId != own)
            {
                return (GrainFactory.GetGrain<IChainPaymentGrain>(own), sighting); // a ref that names no intent of ours
            }

            if (!create)
            {
                return null;
            }

            var chain = catalog.Get(deposit.ChainId);
            state.State = new ChainPaymentState
            {
                Exists = true,
                Kind = ChainPaymentKind.Deposit,
                ChainId = deposit.ChainId,
                // A token unlisted since the watcher followed its deposit keeps its address: it has no rate, so it settles for review.
                Token = deposit.Token is null ? WatchedChain.Ether : chain.FindToken(EthereumAddress.Parse(deposit.Token))?.Symbol ?? deposit.Token,
                Wallet = deposit.Payer,
                AccountId = sighting.AccountId,
                TokenAmount = deposit.Amount,
                CreatedAt = Now,
                Deposit = deposit,
            };
            return null; // written by the caller, before anything leaves this grain
        }

        if (State.Deposit is { } held)
        {
            return held.Key == deposit.Key ? null : HandOn(sighting, own);
        }

        var symbol = deposit.Token is null ? WatchedChain.Ether : catalog.Find(deposit.ChainId)?.FindToken(EthereumAddress.Parse(deposit.Token))?.Symbol;
        if (deposit.Payer != State.Wallet || deposit.ChainId != State.ChainId || symbol != State.Token || !create)
        {
            return HandOn(sighting, own);
        }

        State.Deposit = deposit;
        return null; // written by the caller, before anything leaves this grain
    }

    /// <summary>
    /// Whether this payment's deposit has <paramref name="deposit"/>'s key but moves other value: the key counts the grid's
    /// logs in a transaction, so it can come to name another log (a token listed since, a transaction re-run by a reorg).
    /// The watcher sets such a deposit aside before it gets here; one that still comes is neither this payment's deposit
    /// (crediting it as a repeat would lose it, dropping it would take back a credit whose deposit stands) nor anyone's
    /// yet, so it moves nothing and a person hears of it.
    /// </summary>
    private bool HoldsOtherUnderKeyOf(ChainDeposit deposit, string what)
    {
        if (State.Deposit is not { } held || held.Key != deposit.Key || held.SameContentAs(deposit))
        {
            return false;
        }

        logger.LogCritical(
            "ALERT payment {PaymentId}: a deposit {What} under key {Key} moves {Found}, while this payment's deposit under that key moves {Held}; nothing is done with it, for a person",
            PaymentId, what, deposit.Key, deposit.Describe(), held.Describe());
        return true;
    }

    private (IChainPaymentGrain, DepositSighting) HandOn(DepositSighting sighting, string own) =>
        (GrainFactory.GetGrain<IChainPaymentGrain>(own),
         sighting.Deposit.Payer == State.Wallet && State.RequestedAccountId is { } account ? sighting with { AccountId = account } : sighting);

    /// <summary>Notes where the deposit is now; true when its block changed.</summary>
    private bool See(DepositSighting sighting)
    {
        var moved = State.BlockHash != sighting.BlockHash;
        State.BlockNumber = sighting.BlockNumber;
        State.BlockHash = sighting.BlockHash;
        State.Confirmations = sighting.Confirmations;
        State.Required = sighting.Required;
        return moved;
    }

    /// <summary>
    /// The account a credit goes to, fixed once: the intent's, else where the wallet points now (its guest account is
    /// opened if it has none). Only once there is something to credit or for a person to see.
    /// </summary>
    private async Task ResolveAccountAsync() =>
        State.AccountId ??= await GrainFactory.GetGrain<IWalletGrain>(State.Wallet).ResolveAccount();

    private async Task<ConfirmOutcome> ReviewAsync(string reason, bool dust = false)
    {
        State.ReviewReason = reason;
        await state.WriteStateAsync();
        logger.Log(
            dust ? LogLevel.Warning : LogLevel.Error,
            "Payment {PaymentId}: deposit {Deposit} kept for review, not credited: {Reason}", PaymentId, State.Deposit?.Key, reason);
        return ConfirmOutcome.Review;
    }

    private void RequireSameIntent(OnchainIntent intent, EthereumAddress wallet, string symbol)
    {
        var field = State.Kind != ChainPaymentKind.Intent ? "operationId"
            : State.OperationId != intent.OperationId ? "operationId"
            : State.Wallet != wallet.ToString() ? "wallet"
            : State.RequestedAccountId != intent.AccountId ? "accountId"
            : State.ChainId != intent.ChainId ? "chainId"
            : State.Token != symbol ? "token"
            : State.AmountCredits != intent.AmountCredits ? "amountCredits"
            : null;
        if (field is not null)
        {
            throw new LedgerException(LedgerErrorCodes.IdempotencyConflict, $"Operation {intent.OperationId} already asked for another payment ({field} differs).", field);
        }
    }

    private ProcessedEvent Record(ChainDeposit deposit, string type, int generation, DepositSighting? sighting) => new(
        EventSource,
        $"{deposit.Key}:{type}:{generation}",
        type,
        PaymentId,
        deposit.TransactionHash,
        "applied",
        JsonSerializer.Serialize(new { deposit, block = sighting?.BlockNumber, blockHash = sighting?.BlockHash, confirmations = sighting?.Confirmations }),
        Now);

    private static string Metadata(ChainDeposit deposit) =>
        JsonSerializer.Serialize(new { chainId = deposit.ChainId, tx = deposit.TransactionHash, deposit.Token, deposit.Amount, deposit.Payer });

    private static IEnumerable<string> Symbols(WatchedChain chain) =>
        (chain.TakesEther ? [WatchedChain.Ether] : Array.Empty<string>()).Concat(chain.Tokens.Select(t => t.Symbol));

    private ChainPaymentView View() => new(
        PaymentId,
        State.Kind,
        Status(),
        State.ChainId,
        State.Token,
        State.Wallet,
        State.AccountId,
        State.To,
        State.Value,
        State.Data,
        State.ApproveTo,
        State.ApproveData,
        State.TokenAmount,
        State.Credits,
        State.Credited,
        State.Reversed,
        State.OnChain ? State.Confirmations : 0,
        State.Required,
        State.Deposit?.TransactionHash,
        State.Kind == ChainPaymentKind.Intent && OnGuestAccount,
        State.CreatedAt,
        State.ExpiresAt);

    private PaymentStatus Status() =>
        State.ReviewReason is not null ? PaymentStatus.Review
        : State.CreditedNow ? PaymentStatus.Credited
        : State.Reversed > 0 ? PaymentStatus.Reversed
        : State.OnChain ? PaymentStatus.Confirming
        : State.ExpiresAt is { } expires && Now > expires ? PaymentStatus.Expired
        : PaymentStatus.Pending;
}
