using Grid.Contracts.Accounts;
using Grid.Contracts.Payments;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.Runtime.Hosting;
using Grid.Stripe.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Grains.Payments;

/// <summary>
/// One account's auto-reload. The account grain calls <see cref="Trigger"/> when available falls below the
/// threshold; this grain starts one off-session payment, never a second while one is under way, and waits for
/// the payment to say how it ended. Failures back off exponentially and, at the limit, turn auto-reload off.
/// A reminder checks on a charge under way in case a word was lost and, while auto-reload is on, on the balance itself
/// in case a trigger was lost.
/// </summary>
public sealed class AutoReloadGrain(
    [PersistentState("auto-reload")] IPersistentState<AutoReloadState> state,
    IOptions<AutoReloadOptions> options,
    IOptions<GrainRuntimeOptions> runtime,
    StripeConnection stripe,
    ILogger<AutoReloadGrain> logger) : Grain, IAutoReloadGrain, IRemindable
{
    public const string CheckReminder = "auto-reload-check";

    private readonly AutoReloadOptions _options = options.Value;

    private string AccountId => GrainId.Key;

    private AutoReloadState State => state.State;

    private DateTimeOffset Now => Context.TimeProvider.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.InFlightPaymentId is not null || State.Enabled)
        {
            // A charge under way, or auto-reload on: its reminder must exist (a write of it may have failed after the state's).
            await ArmCheckAsync(State.NextAttemptAt, cancellationToken);
        }
    }

    public async Task<AutoReloadView> Configure(AutoReloadSettings settings)
    {
        Validate(settings);
        if (!stripe.IsConfigured)
        {
            throw new LedgerException(PaymentErrorCodes.NotConfigured, "Card payments are not configured (Grid:Stripe:SecretKey), so there is no card to charge.");
        }

        var account = await ExistingAccountAsync();
        if (account.Status == Grid.Ledger.Accounts.AccountStatus.Closed)
        {
            throw new LedgerException(LedgerErrorCodes.AccountClosed, $"Account {AccountId} is closed; it takes no auto-reload.", "accountId");
        }

        if (account.InDebt)
        {
            throw new LedgerException(
                LedgerErrorCodes.NegativeBalance,
                $"Account {AccountId} is in debt after a payment rail took credits back; its card is not charged to pay that back. Turn auto-reload on once deposits have brought available back to {account.DebtFloor}.");
        }

        if (!await HoldsCustomerAsync(settings.CustomerId))
        {
            throw LedgerException.Invalid("customerId", $"Stripe customer {settings.CustomerId} is saved for another account; an auto-reload charges only a customer of its own account.");
        }

        // The check, while on, registered before the state in memory changes: a registration that fails leaves the
        // old settings in place, instead of new ones that were never saved and a later charge would act on.
        await ArmCheckAsync(nextAttemptAt: null);
        State.Settings = settings;
        State.Enabled = true;
        State.Failures = 0;
        State.NextAttemptAt = null;
        State.DisabledReason = null;
        await state.WriteStateAsync();
        await SetThresholdAsync(account, settings.ThresholdCredits);
        await TryChargeAsync(); // already below the threshold: no crossing will come to announce it
        return View();
    }

    public async Task<AutoReloadView> Disable()
    {
        var account = await ExistingAccountAsync();
        State.Enabled = false;
        State.DisabledReason = null;
        await state.WriteStateAsync();
        if (account.Status != Grid.Ledger.Accounts.AccountStatus.Closed)
        {
            await SetThresholdAsync(account, null); // a closed account takes no settings, and signals nothing any more
        }

        if (State.InFlightPaymentId is null)
        {
            await Context.UnregisterReminderAsync(CheckReminder); // a charge under way keeps it until the charge ends
        }

        return View();
    }

    public Task<AutoReloadView> Get() => Task.FromResult(View());

    public async Task<string?> ClosingRefusal()
    {
        if (State.Enabled)
        {
            return $"Auto-reload is on for account {AccountId}; turn it off (DELETE /v1/accounts/{AccountId}/auto-reload) before closing.";
        }

        if (State.InFlightPaymentId is { } inFlight)
        {
            return $"Auto-reload payment {inFlight} of account {AccountId} is still under way; close once it has ended.";
        }

        if (await UnendedLastChargeAsync() is { } payment)
        {
            // Let go without an answer (turned off meanwhile, or Stripe silent): if the card was charged, the webhook may
            // still come, and only an open account can take its credits.
            return $"Auto-reload payment {payment.PaymentId} of account {AccountId} was let go without an answer from Stripe and may still be credited; close once it has ended, or after {payment.CreatedAt + _options.MaxPending:O}.";
        }

        return null;
    }

    public Task Trigger() => TryChargeAsync();

    public async Task CreditsTakenBack(string paymentId)
    {
        // Off already: nothing would charge, and a charge under way is not this event's to stop. Only a reason from a
        // check that found the threshold this payment cleared is replaced, by one naming the payment the owner can look up.
        if (!State.Enabled && State.DisabledReason != NoThresholdReason)
        {
            return;
        }

        logger.LogWarning("Auto-reload of {AccountId} turned off: card payment {PaymentId} is taking credits back", AccountId, paymentId);
        State.Enabled = false;
        State.DisabledReason = $"A refund or dispute of card payment {paymentId} took credits back; save the settings again to turn auto-reload back on.";
        await state.WriteStateAsync();
        if (State.InFlightPaymentId is null)
        {
            await Context.UnregisterReminderAsync(CheckReminder); // a charge under way keeps it until the charge ends
        }
    }

    public async Task Completed(string paymentId, bool succeeded)
    {
        if (State.InFlightPaymentId != paymentId)
        {
            return; // already heard (or not this grain's charge)
        }

        await EndAsync(succeeded);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CheckReminder)
        {
            return;
        }

        if (State.InFlightPaymentId is { } inFlight)
        {
            var payment = GrainFactory.GetGrain<IPaymentGrain>(inFlight);
            var view = await payment.Get();
            if ((view is null || view.Status == PaymentStatus.Created) && !State.Enabled)
            {
                // Turned off while Stripe's answer to the start was lost: never ask again, as that could charge a card the
                // user has just said not to. If the first request did reach Stripe, its webhook still credits the payment.
                logger.LogInformation("Auto-reload of {AccountId}: payment {PaymentId} not asked for again, auto-reload is off", AccountId, inFlight);
                LetGoOfCharge();
                await state.WriteStateAsync();
                await Context.UnregisterReminderAsync(CheckReminder);
            }
            else if (view is null || view.Status == PaymentStatus.Created)
            {
                await RetryUnansweredStartAsync(inFlight);
            }
            else if (view.Status == PaymentStatus.Pending)
            {
                await LetGoOfStalePendingAsync(inFlight);
            }
            else if (view.Status is PaymentStatus.Credited or PaymentStatus.Refunded or PaymentStatus.Disputed or PaymentStatus.Reversed)
            {
                await EndAsync(succeeded: true);
            }
            else if (view.Status is PaymentStatus.Failed or PaymentStatus.Expired)
            {
                await EndAsync(succeeded: false);
            }

            return;
        }

        if (!State.Enabled)
        {
            await Context.UnregisterReminderAsync(CheckReminder);
            return;
        }

        // While on, the reminder also stands in for a lost trigger: the account signals only when available crosses the
        // threshold, so a signal lost to a stop or a timeout would otherwise leave the account below it, unreloaded.
        // TryChargeAsync waits out a backoff by itself.
        await TryChargeAsync();
    }

    private async Task TryChargeAsync()
    {
        if (!State.Enabled || State.Settings is not { } settings || State.InFlightPaymentId is not null || Now < State.NextAttemptAt)
        {
            return;
        }

        var account = await GrainFactory.GetGrain<IAccountGrain>(AccountId).Get();
        if (account is null || account.Status == Grid.Ledger.Accounts.AccountStatus.Closed)
        {
            // A closed account takes no credit: its card is never charged for one, and auto-reload has nothing left to do.
            await TurnOffAsync($"Account {AccountId} is closed.");
            return;
        }

        if (account.Settings.AutoReloadThreshold is null)
        {
            // Cleared by a payment taking credits back (its word to this grain may come later, or be lost), or a save of
            // the settings that did not finish: either way, no charge without a threshold the account holds.
            await TurnOffAsync(NoThresholdReason);
            return;
        }

        var balance = account.Balance;
        if (balance.Available >= settings.ThresholdCredits)
        {
            return;
        }

        if (account.InDebt)
        {
            // Below zero by a rail's doing (a reversal or a forced hold): the card is not charged to pay that back.
            await TurnOffAsync($"Account {AccountId} is in debt after credits were taken back; save the settings again to turn auto-reload back on.");
            return;
        }

        // Asked again before every charge: settings saved before customers were bound claim theirs here, and a customer
        // another account holds is never charged for this one's credits.
        if (!await HoldsCustomerAsync(settings.CustomerId))
        {
            // The holder is named in the customer's log line, not in the reason this account's readers see.
            await TurnOffAsync($"Stripe customer {settings.CustomerId} is saved for another account; save settings with a customer of this account.");
            return;
        }

        if (await UnendedLastChargeAsync() is { } unended)
        {
            // Let go without an answer (auto-reload turned off, then on again): Stripe may have made it, and its webhook may
            // still come. A second charge now could pay twice for one dip. One Stripe never answered, for the same card and
            // amount, is taken up again under its own idempotency key while Stripe surely keeps it: made at most once.
            // Otherwise the check asks again once it has ended.
            if (unended.Status == PaymentStatus.Created && State.LastStart is { } last && State.LastSince is { } since
                && Now - since < StripeIdempotencyKey.SafeRetryWindow
                && last.CustomerId == settings.CustomerId && last.PaymentMethodId == settings.PaymentMethodId
                && (settings.AmountCents is not { } fixedCents || fixedCents == last.AmountCents))
            {
                await ArmCheckAsync(State.NextAttemptAt);
                State.InFlightPaymentId = unended.PaymentId;
                State.InFlightStart = last;
                State.InFlightSince = since;
                await state.WriteStateAsync();
                logger.LogInformation("Auto-reload of {AccountId}: payment {PaymentId}, let go without an answer, asked for again", AccountId, unended.PaymentId);
                await StartAsync(last);
                return;
            }

            logger.LogInformation(
                "Auto-reload of {AccountId}: no new charge while payment {PaymentId}, let go without an answer, may still be made (until {Until:O})",
                AccountId, unended.PaymentId, unended.CreatedAt + _options.MaxPending);
            return;
        }

        var cents = settings.AmountCents ?? CentsToReach(settings.TargetCredits!.Value, balance.Available);
        // The reminder first, before anything changes in memory: a charge recorded as under way always has one to check on it.
        await ArmCheckAsync(State.NextAttemptAt);
        State.Attempts++;
        var start = new AutoReloadStart(
            AccountId, cents, _options.Currency, checked(cents * _options.CreditsPerCent), settings.CustomerId, settings.PaymentMethodId);
        // '~' is outside the operation id alphabet: no caller's top-up can derive the same payment id.
        State.InFlightPaymentId = PaymentIds.For(AccountId, $"~auto-reload:{State.Attempts}");
        State.InFlightStart = start;
        State.InFlightSince = Now;
        await state.WriteStateAsync(); // one charge under way, recorded before Stripe is asked
        await StartAsync(start);
    }

    private async Task StartAsync(AutoReloadStart start)
    {
        var paymentId = State.InFlightPaymentId!;
        PaymentView view;
        try
        {
            // Given less time than this grain's own caller (Stripe may take longer than a call): a start left unanswered is
            // then noted as under way, and the caller still hears that its settings were saved.
            var payment = GrainFactory.GetGrain<IPaymentGrain>(paymentId, new GrainCallOptions(runtime.Value.ResponseTimeout * 2 / 3));
            view = await payment.StartAutoReload(start);
        }
        catch (Exception failure) when (failure is TimeoutException or LedgerException { Code: PaymentErrorCodes.ProviderError or LedgerErrorCodes.Unavailable })
        {
            // Not known to be charged or not (Stripe slower than the call's timeout, too): the reminder asks again with the same
            // payment id. Settings just saved are answered as saved, not as an error that says nothing changed.
            logger.LogWarning(
                "Auto-reload of {AccountId}: payment {PaymentId} not started yet ({Reason})",
                AccountId, paymentId, failure is LedgerException ledger ? ledger.Code : failure.GetType().Name);
            return;
        }
        catch (LedgerException closed) when (closed.Code is LedgerErrorCodes.AccountClosed or LedgerErrorCodes.NotFound)
        {
            // Closed while the start waited (its first answer lost): the payment refused before Stripe was asked again.
            await TurnOffAsync($"Account {AccountId} is closed.");
            return;
        }
        catch (LedgerException tooLate) when (tooLate.Code == LedgerErrorCodes.InvalidState)
        {
            // The payment will not ask Stripe again (its first ask is too old to repeat safely): nothing more to try.
            await TurnOffAsync(tooLate.Message);
            return;
        }

        if (view.Status == PaymentStatus.Failed)
        {
            await EndAsync(succeeded: false);
        }
    }

    private async Task EndAsync(bool succeeded)
    {
        var failures = succeeded ? 0 : State.Failures + 1;
        var enabled = State.Enabled && failures < _options.MaxFailures;
        DateTimeOffset? nextAttemptAt = succeeded || !enabled ? null : Now + _options.BackoffAfter(failures);
        if (enabled)
        {
            // Before the state changes, like every registration here: what is stored always has its reminder.
            await ArmCheckAsync(nextAttemptAt);
        }

        LetGoOfCharge();
        State.Failures = failures;
        State.NextAttemptAt = succeeded ? null : nextAttemptAt ?? State.NextAttemptAt;
        if (State.Enabled && !enabled)
        {
            State.Enabled = false;
            State.DisabledReason = $"The saved card failed {failures} times in a row; save the settings again to turn auto-reload back on.";
            logger.LogWarning("Auto-reload of {AccountId} turned off after {Failures} failures", AccountId, failures);
        }

        await state.WriteStateAsync();
        if (!State.Enabled)
        {
            await Context.UnregisterReminderAsync(CheckReminder);
        }
    }

    /// <summary>Why auto-reload is off when a check found no threshold on the account.</summary>
    private string NoThresholdReason =>
        $"Account {AccountId} holds no auto-reload threshold (cleared when a refund or dispute took credits back, or the settings were not saved in full); save the settings again to turn auto-reload back on.";

    /// <summary>
    /// Turns auto-reload off for good reason (<paramref name="reason"/>, shown as <c>disabledReason</c>) and lets go of
    /// a charge under way without asking for it again: its webhook, if Stripe took it, still credits it.
    /// </summary>
    private async Task TurnOffAsync(string reason)
    {
        if (!State.Enabled && State.InFlightPaymentId is null)
        {
            return;
        }

        logger.LogWarning("Auto-reload of {AccountId} turned off: {Reason}", AccountId, reason);
        LetGoOfCharge();
        State.Enabled = false;
        State.DisabledReason = reason;
        await state.WriteStateAsync();
        await Context.UnregisterReminderAsync(CheckReminder);
    }

    /// <summary>Whether this account holds the Stripe customer, claiming it if nobody does (see <see cref="IStripeCustomerGrain"/>).</summary>
    private async Task<bool> HoldsCustomerAsync(string customerId) =>
        await GrainFactory.GetGrain<IStripeCustomerGrain>(customerId).Claim(AccountId) == AccountId;

    /// <summary>
    /// The last charge, let go before it ended (Stripe's answer lost, or its webhook late), while Stripe could still make
    /// and credit it; null when there is none, it ended, or <see cref="AutoReloadOptions.MaxPending"/> has passed.
    /// </summary>
    private async Task<PaymentView?> UnendedLastChargeAsync() =>
        State.LastPaymentId is { } last && await GrainFactory.GetGrain<IPaymentGrain>(last).Get() is { } payment
            && payment.Status is PaymentStatus.Created or PaymentStatus.Pending && Now - payment.CreatedAt < _options.MaxPending
            ? payment
            : null;

    /// <summary>The charge under way, if any, ends here as far as this grain is concerned: it becomes the last one.</summary>
    private void LetGoOfCharge()
    {
        if (State.InFlightPaymentId is not null)
        {
            State.LastStart = State.InFlightStart;
            State.LastSince = State.InFlightSince;
        }

        State.LastPaymentId = State.InFlightPaymentId ?? State.LastPaymentId;
        State.InFlightPaymentId = null;
        State.InFlightStart = null;
        State.InFlightSince = null;
    }

    /// <summary>
    /// Stripe's answer to the start was lost: asks again with the same payment id (the same idempotency key), but only
    /// while Stripe surely still knows that key. Past <see cref="StripeIdempotencyKey.SafeRetryWindow"/> a repeat could
    /// charge the card a second time, so the charge is let go and auto-reload turns off for a person to look.
    /// </summary>
    private async Task RetryUnansweredStartAsync(string inFlight)
    {
        if (await InFlightForAsync() >= StripeIdempotencyKey.SafeRetryWindow)
        {
            await TurnOffAsync($"Stripe never answered the start of payment {inFlight} (asked at {State.InFlightSince:O}), and asking again now could charge the card twice; if the first ask charged it, its webhook still credits it. Check the payment at Stripe, then save the settings again.");
            return;
        }

        await StartAsync(State.InFlightStart!);
    }

    /// <summary>
    /// A charge pending longer than <see cref="AutoReloadOptions.MaxPending"/> has lost its webhook for good: without
    /// this, auto-reload would wait on it for ever and never charge again. It turns off, so a person looks.
    /// </summary>
    private async Task LetGoOfStalePendingAsync(string inFlight)
    {
        if (await InFlightForAsync() >= _options.MaxPending)
        {
            await TurnOffAsync($"Payment {inFlight} has been pending since {State.InFlightSince:O} with no word from Stripe; check the webhook endpoint, then save the settings again.");
        }
    }

    /// <summary>
    /// How long the charge under way has been; null for one recorded before its start time was kept, which is counted
    /// from now on (written down here).
    /// </summary>
    private async Task<TimeSpan?> InFlightForAsync()
    {
        if (State.InFlightSince is { } since)
        {
            return Now - since;
        }

        State.InFlightSince = Now;
        await state.WriteStateAsync();
        return null;
    }

    /// <summary>
    /// The check reminder, due at the end of a backoff if one runs (<paramref name="nextAttemptAt"/>), else one check
    /// period from now: it checks on a charge under way and, while auto-reload is on, on the balance.
    /// </summary>
    private Task ArmCheckAsync(DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken = default)
    {
        var due = nextAttemptAt is { } next && next > Now ? next - Now : _options.CheckPeriod;
        return Context.RegisterOrUpdateReminderAsync(CheckReminder, due, _options.CheckPeriod, cancellationToken);
    }

    private long CentsToReach(long targetCredits, long available)
    {
        var missing = targetCredits - available;
        var cents = (missing + _options.CreditsPerCent - 1) / _options.CreditsPerCent; // charge up: never short of the target
        return Math.Clamp(cents, _options.MinAmountCents, _options.MaxAmountCents);
    }

    private async Task<AccountView> ExistingAccountAsync() =>
        await GrainFactory.GetGrain<IAccountGrain>(AccountId).Get()
        ?? throw new LedgerException(LedgerErrorCodes.NotFound, $"Account {AccountId} does not exist.", "accountId");

    private async Task SetThresholdAsync(AccountView account, long? threshold)
    {
        if (account.Settings.AutoReloadThreshold == threshold)
        {
            return;
        }

        await GrainFactory.GetGrain<IAccountGrain>(AccountId).Execute(AutoReloadThreshold.Change(account, threshold));
    }

    private void Validate(AutoReloadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Checked as Stripe's request will check them: an id refused there, after the charge was recorded as under way,
        // would leave auto-reload stuck on a start that can never be sent.
        if (!StripeObjectIds.IsCustomer(settings.CustomerId))
        {
            throw LedgerException.Invalid("customerId", "customerId must be a Stripe customer id (cus_ and up to 251 letters, digits or '_').");
        }

        if (!StripeObjectIds.IsSavedPaymentMethod(settings.PaymentMethodId))
        {
            throw LedgerException.Invalid("paymentMethodId", "paymentMethodId must be a saved payment method (pm_... or card_..., letters, digits or '_').");
        }

        if (settings.ThresholdCredits < 1)
        {
            throw LedgerException.Invalid("thresholdCredits", "thresholdCredits must be at least 1.");
        }

        if ((settings.AmountCents is null) == (settings.TargetCredits is null))
        {
            throw LedgerException.Invalid("amountCents", "Give amountCents (a fixed charge) or targetCredits (charge up to a balance), not both.");
        }

        if (settings.AmountCents is { } cents && (cents < _options.MinAmountCents || cents > _options.MaxAmountCents))
        {
            throw LedgerException.Invalid("amountCents", $"amountCents must be from {_options.MinAmountCents} to {_options.MaxAmountCents}.");
        }

        if (settings.TargetCredits is { } target && target <= settings.ThresholdCredits)
        {
            throw LedgerException.Invalid("targetCredits", "targetCredits must be above thresholdCredits.");
        }
    }

    private AutoReloadView View() => new(
        AccountId, State.Enabled, State.Settings, State.InFlightPaymentId, State.LastPaymentId, State.Failures, State.NextAttemptAt, State.DisabledReason);
}
