using Grid.Contracts.Accounts;
using Grid.Contracts.Payments;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Grid.Stripe.Api;
using Grid.Stripe.Api.Errors;
using Grid.Stripe.Api.Objects;
using Grid.Stripe.Api.Requests;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Payments;

/// <summary>
/// One card payment. Not reentrant: its events are handled one at a time. Its state is its record plus the
/// fold of its processed events (<see cref="PaymentFacts"/>); handling an event runs the ledger commands the
/// event adds to the plan (<see cref="PaymentPlan"/>) and records the event in the same transaction as the last
/// of them, so a delivery is remembered exactly when its money has moved. Events that arrived before the
/// payment knew their PaymentIntent are adopted once it does.
/// </summary>
public sealed class PaymentGrain(
    [PersistentState("payment")] IPersistentState<PaymentRecord> state,
    IProcessedEventStore processedEvents,
    WaitingEventProbe waitingEvents,
    StripeConnection stripe,
    ILogger<PaymentGrain> logger) : Grain, IPaymentGrain
{
    private const string EventSource = CardEventPayload.Source;

    private PaymentFacts _facts = new();
    private List<ProcessedEvent> _unadopted = [];

    // An event whose commands may have reached the account without an answer here (a timeout, a lost acknowledgement):
    // its entry and record may be durable while the facts lack it. It is judged again before any other event, so none
    // is planned on facts that may be behind the ledger (a refund after an unseen payment would take nothing back).
    private CardPaymentEvent? _unsettled;

    private string PaymentId => GrainId.Key;

    private PaymentRecord Record => state.State;

    private IStripeClient StripeClient =>
        stripe.Client ?? throw new LedgerException(PaymentErrorCodes.NotConfigured, "Card payments are not configured.");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Record.Exists)
        {
            await LoadEventsAsync(cancellationToken);
        }
    }

    public async Task<PaymentView> StartCheckout(CheckoutStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (PaymentIds.For(start.AccountId, start.OperationId) != PaymentId)
        {
            throw LedgerException.Invalid("operationId", "The payment id does not belong to this account and operation id.");
        }

        if (Record.Exists)
        {
            RequireSameStart(start);
        }

        // Asked on a repeat too, before its URL is handed out again or Stripe is asked again: a session paid after its
        // account closed charges the card for credits no account can take.
        await RequireOpenAccountAsync(start.AccountId);
        if (Record.CheckoutUrl is null)
        {
            // Noted before Stripe is asked (after the client, refused here when card payments are off), so a close of the
            // account finds the session to expire; refused from the start of a close on, and past the account's cap. Both
            // refusals come before the payment is recorded: an error answer stores nothing. The account is asked again
            // after: a close that ended between the first ask and the note leaves it closed.
            var client = StripeClient;
            if (Record.Exists)
            {
                // Asked again past the window, Stripe could open a second session beside one its lost answer named, and that
                // one's expiry would end this payment while the second could still be paid.
                RequireStripeKeepsKey("start a top-up under a new operationId.", "operationId");
            }

            await GrainFactory.GetGrain<IOpenCheckoutsGrain>(start.AccountId).Register(PaymentId);
            await RequireOpenAccountAsync(start.AccountId);
            if (!Record.Exists)
            {
                state.State = new PaymentRecord
                {
                    AccountId = start.AccountId,
                    Kind = PaymentKind.Checkout,
                    OperationId = start.OperationId,
                    PackageId = start.PackageId,
                    AmountCents = start.AmountCents,
                    Currency = start.Currency,
                    Credits = start.Credits,
                    ProductName = start.ProductName,
                    SuccessUrl = start.SuccessUrl,
                    CancelUrl = start.CancelUrl,
                    CreatedAt = Context.TimeProvider.GetUtcNow(),
                };
                await state.WriteStateAsync(); // recorded before Stripe is asked, so its events always find the payment
            }

            // Asked again after a lost answer, Stripe returns the same session: the idempotency key is the payment id's.
            var session = await CallStripeAsync(
                "create the session",
                () => client.CreateCheckoutSessionAsync(
                    new CheckoutSessionCreateRequest
                    {
                        PaymentId = PaymentId,
                        AccountId = Record.AccountId,
                        UnitAmount = Record.AmountCents,
                        Currency = Record.Currency,
                        ProductName = Record.ProductName ?? start.ProductName,
                        SuccessUrl = Record.SuccessUrl ?? start.SuccessUrl,
                        CancelUrl = Record.CancelUrl ?? start.CancelUrl,
                        PaymentMethodTypes = ["card"],
                    },
                    CancellationToken.None));
            Record.CheckoutSessionId = session.Id;
            Record.CheckoutUrl = session.Url ?? throw new LedgerException(PaymentErrorCodes.ProviderError, "Stripe returned a Checkout Session without a URL.");
            await state.WriteStateAsync();
        }

        return View();
    }

    public async Task<PaymentView> StartAutoReload(AutoReloadStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (Record.Exists)
        {
            if (Record.Kind != PaymentKind.AutoReload || Record.AccountId != start.AccountId || Record.AmountCents != start.AmountCents)
            {
                throw new LedgerException(LedgerErrorCodes.IdempotencyConflict, $"Payment {PaymentId} was started otherwise.", "paymentId");
            }
        }
        else
        {
            state.State = new PaymentRecord
            {
                AccountId = start.AccountId,
                Kind = PaymentKind.AutoReload,
                OperationId = PaymentId,
                AmountCents = start.AmountCents,
                Currency = start.Currency,
                Credits = start.Credits,
                CustomerId = start.CustomerId,
                PaymentMethodId = start.PaymentMethodId,
                CreatedAt = Context.TimeProvider.GetUtcNow(),
            };
            await state.WriteStateAsync();
        }

        if (Record.PaymentIntentId is null && _facts.PaymentIntentId is { } learned)
        {
            // Stripe's answer was lost but a webhook named the PaymentIntent: it exists, so it is never asked for again.
            Record.PaymentIntentId = learned;
            await state.WriteStateAsync();
        }

        if (Record.PaymentIntentId is null && !Record.Declined)
        {
            // Asked again past the window, Stripe could charge the card a second time.
            RequireStripeKeepsKey("if that ask charged the card, its webhook credits it.", "paymentId");

            // Checked before every ask, a retry too: an account closed meanwhile would refuse the credit, and the card
            // would be charged for nothing.
            await RequireOpenAccountAsync(Record.AccountId);
            var client = StripeClient;
            var request = new OffSessionPaymentIntentCreateRequest
            {
                PaymentId = PaymentId,
                AccountId = Record.AccountId,
                Amount = Record.AmountCents,
                Currency = Record.Currency,
                CustomerId = Record.CustomerId!,
                PaymentMethodId = Record.PaymentMethodId!,
                Description = $"Auto-reload of {Record.Credits} credits",
            };
            try
            {
                var intent = await CallStripeAsync("create the payment", () => client.CreatePaymentIntentAsync(request, CancellationToken.None), RefusedForGood);
                Record.PaymentIntentId = intent.Id;
            }
            catch (StripeException declined) when (declined is StripeCardException || RefusedForGood(declined))
            {
                // Declined or needs the customer: no money moves now; the payment_intent.payment_failed webhook agrees later.
                // A saved card or customer Stripe does not know is refused the same way every time: a failure, not a retry.
                logger.LogInformation("Auto-reload payment {PaymentId} declined ({Code})", PaymentId, declined.ErrorCode);
                Record.Declined = true;
                Record.PaymentIntentId = (declined as StripeCardException)?.PaymentIntentId;
            }

            await state.WriteStateAsync();
            if (Record.PaymentIntentId is { } intentId)
            {
                await processedEvents.LinkAsync(intentId, PaymentId, CancellationToken.None);
            }
        }

        return View();
    }

    /// <summary>
    /// Refuses to ask Stripe again under this payment's idempotency key once Stripe may have forgotten it (the first ask is
    /// past <see cref="StripeIdempotencyKey.SafeRetryWindow"/>): it would take the ask for a new one.
    /// </summary>
    private void RequireStripeKeepsKey(string whatNow, string field)
    {
        if (Context.TimeProvider.GetUtcNow() - Record.CreatedAt >= StripeIdempotencyKey.SafeRetryWindow)
        {
            throw new LedgerException(
                LedgerErrorCodes.InvalidState,
                $"Payment {PaymentId} was first asked for at {Record.CreatedAt:O}, too long ago to ask Stripe again safely; {whatNow}",
                field);
        }
    }

    public async Task<string> Handle(CardPaymentEvent cardEvent)
    {
        ArgumentNullException.ThrowIfNull(cardEvent);
        if (!Record.Exists)
        {
            // Not ours (or not yet): kept for review; adopted if a payment later claims its PaymentIntent.
            await processedEvents.RecordAsync(ToRecord(cardEvent, CardEventOutcome.Unmatched, paymentId: null), CancellationToken.None);
            Context.DeactivateOnIdle();
            return CardEventOutcome.Unmatched;
        }

        if (_facts.Knows(cardEvent.EventId))
        {
            return CardEventOutcome.Duplicate;
        }

        if (_unsettled is { } unsettled && unsettled.EventId != cardEvent.EventId)
        {
            // Its commands replay if they landed and run if not; while the account cannot answer, this event waits too
            // (its delivery fails, and Stripe sends it again).
            await ApplyAsync(unsettled);
        }

        if (_unadopted.Count > 0)
        {
            // An adoption cut short (its record failed): those events came first, so they are judged first (its commands
            // replay); judged after this one, a refund total below one this event applies would plan differently.
            await ApplyAsync(null);
        }

        return await ApplyAsync(cardEvent);
    }

    public Task<PaymentView?> Get() => Task.FromResult(Record.Exists ? View() : null);

    public async Task<string?> ExpireCheckout()
    {
        if (!Record.Exists || Record.Kind != PaymentKind.Checkout || StatusOf() is not (PaymentStatus.Created or PaymentStatus.Pending))
        {
            return null; // no session, or its payment has ended (credited, failed, expired): nothing left to pay
        }

        if (Record.CheckoutSessionId is not { } sessionId)
        {
            // Stripe never answered (or refused): if a session exists, nobody was handed its URL, and from the close's
            // start on no repeat of this start can hand it out.
            return null;
        }

        var client = StripeClient;
        StripeCheckoutSession session;
        try
        {
            session = await client.ExpireCheckoutSessionAsync(sessionId, PaymentId, CancellationToken.None);
        }
        catch (StripeException failure) when (failure is not StripeCardException)
        {
            // Refused (complete, or expired already) or unanswered: Stripe's session says where it stands.
            logger.LogInformation("Payment {PaymentId}: expiring session {SessionId} ended in {Error}; reading it", PaymentId, sessionId, failure.GetType().Name);
            session = await CallStripeAsync("read the session", () => client.RetrieveCheckoutSessionAsync(sessionId, CancellationToken.None));
        }

        return session.Status switch
        {
            "expired" => null, // its checkout.session.expired event ends the payment
            "complete" => $"Checkout payment {PaymentId} was paid at Stripe and is not credited yet (its credit still to come, or its event kept for review); close once it is settled.",
            _ => throw new LedgerException(
                PaymentErrorCodes.ProviderError,
                $"Stripe did not expire Checkout Session {sessionId} of payment {PaymentId} (it is {session.Status ?? "of no status"}); try the close again."),
        };
    }

    /// <summary>
    /// Folds <paramref name="incoming"/> (if any) and any unadopted events its links reveal into the facts, runs the
    /// ledger commands that adds, then records the event and the adoptions. Facts change only once all of that is done.
    /// </summary>
    private async Task<string> ApplyAsync(CardPaymentEvent? incoming)
    {
        var next = _facts.Clone();
        var outcome = incoming is null ? null : next.Apply(Record, incoming);
        if (outcome == CardEventOutcome.Review && incoming!.Kind == CardEventKind.RefundFailed)
        {
            logger.LogError(
                "ALERT payment {PaymentId}: refund {RefundId} of {AmountCents} {Currency} did not reach the customer ({Reason}); the credits refunds took back from {AccountId} (for {RefundedCents} refunded in all) stay taken. Pay the customer another way, or give the credits back with an adjustment; a refund issued again later takes credits back only as far as Stripe's refunded total rises past that",
                PaymentId, incoming.RefundId, incoming.AmountCents, incoming.Currency, incoming.FailureReason, Record.AccountId, _facts.RefundedCents);
        }
        else if (outcome == CardEventOutcome.Review && incoming is not null && _facts.LossPastCredits(Record, incoming))
        {
            logger.LogError(
                "ALERT payment {PaymentId}: dispute {DisputeId} of {AmountCents} {Currency} was lost after refunds of {RefundedCents} took credits back; the customer got money back twice. Its hold on {AccountId} stays for a person: recover the money from the customer, or settle the account",
                PaymentId, incoming.DisputeId, incoming.AmountCents, incoming.Currency, _facts.RefundedCents, Record.AccountId);
        }
        else if (outcome == CardEventOutcome.Review)
        {
            logger.LogError(
                "Payment {PaymentId}: event {EventId} ({Type}) contradicts the payment or would take back more than it credited; kept for review",
                PaymentId, incoming!.EventId, incoming.Type);
        }

        var learnsObjects = next.ObjectRefs().Except(_facts.ObjectRefs(), StringComparer.Ordinal).Any();
        var adopted = Adopt(next);

        var before = PaymentPlan.For(PaymentId, Record, _facts);
        var after = PaymentPlan.For(PaymentId, Record, next);
        var fresh = new List<LedgerCommand>();
        foreach (var command in after)
        {
            var planned = before.FirstOrDefault(b => b.OperationId == command.OperationId);
            if (planned is null)
            {
                fresh.Add(command);
            }
            else if (planned != command)
            {
                // Facts only grow, so a planned command never changes; if it did, applying it would conflict.
                throw new InvalidOperationException($"Payment {PaymentId} planned {command.OperationId} differently before.");
            }
        }

        var account = GrainFactory.GetGrain<IAccountGrain>(Record.AccountId);
        var takesBack = TakesCreditsBack(before, after);
        if (takesBack)
        {
            await StopAutoReloadAsync(account);
        }

        var recordedWithEntry = false;
        _unsettled = incoming; // until the facts take it in (or it is kept for review): see _unsettled
        try
        {
            for (var i = 0; i < fresh.Count; i++)
            {
                if (i == fresh.Count - 1 && incoming is not null)
                {
                    var result = await account.ExecuteRecording(fresh[i], ToRecord(incoming, outcome!, PaymentId));
                    recordedWithEntry = !result.Replayed;
                }
                else
                {
                    await account.Execute(fresh[i]);
                }
            }
        }
        catch (LedgerException refused) when (!refused.IsRetryable)
        {
            // The account will not take it (closed, or an id used otherwise): money that cannot be booked needs a person.
            logger.LogError(
                "Payment {PaymentId}: account {AccountId} refused a command ({Code}: {Reason}); event {EventId} is kept for review",
                PaymentId, Record.AccountId, refused.Code, refused.Message, incoming?.EventId ?? "(adoption)");
            if (incoming is not null)
            {
                await processedEvents.RecordAsync(ToRecord(incoming, CardEventOutcome.Review, PaymentId), CancellationToken.None);
                _facts.Remember(incoming.EventId);
            }

            _unsettled = null;
            return CardEventOutcome.Review;
        }

        if (incoming is not null && !recordedWithEntry)
        {
            await processedEvents.RecordAsync(ToRecord(incoming, outcome!, PaymentId), CancellationToken.None);
        }

        if (adopted.Count > 0)
        {
            await processedEvents.AdoptAsync(EventSource, PaymentId, adopted, CancellationToken.None);
        }

        if (takesBack)
        {
            TellAutoReload((autoReload, paymentId) => autoReload.CreditsTakenBack(paymentId), "took credits back");
        }

        _unadopted = [];
        _unsettled = null;
        var ended = Record.Kind == PaymentKind.AutoReload && ((next.Paid && !_facts.Paid) || (next.Failed && !_facts.Failed && !next.Paid));
        _facts = next;
        if (ended)
        {
            var succeeded = next.Paid;
            TellAutoReload((autoReload, paymentId) => autoReload.Completed(paymentId, succeeded), "ended");
        }

        if (learnsObjects)
        {
            await AdoptWaitingAsync();
        }

        return outcome ?? CardEventOutcome.Applied;
    }

    /// <summary>
    /// Whether the new plan takes more credits back than the old (a refund's reversal, a dispute's hold or loss); a
    /// dispute heard of only once it was won holds and releases in one go, and takes nothing.
    /// </summary>
    private static bool TakesCreditsBack(IReadOnlyList<LedgerCommand> before, IReadOnlyList<LedgerCommand> after)
    {
        var (_, reversedBefore, heldBefore) = PaymentPlan.Totals(before);
        var (_, reversedAfter, heldAfter) = PaymentPlan.Totals(after);
        return reversedAfter > reversedBefore || heldAfter > heldBefore;
    }

    /// <summary>
    /// Clears the account's auto-reload threshold before credits are taken back: the entry that takes them would
    /// otherwise bring the account below it and charge the saved card again for credits its holder is taking back
    /// (and, after a dispute, earn the next chargeback). The account, not the auto-reload grain, is waited on: that grain
    /// waits on payments (this one too), so waiting on it here could close a circle; it reads the cleared threshold
    /// before any charge and turns itself off. A failure the account calls retryable leaves the event for Stripe to
    /// send again.
    /// </summary>
    private async Task StopAutoReloadAsync(IAccountGrain account)
    {
        var view = await account.Get();
        if (view is null || view.Status == Grid.Ledger.Accounts.AccountStatus.Closed || view.Settings.AutoReloadThreshold is null)
        {
            return;
        }

        try
        {
            await account.Execute(AutoReloadThreshold.Change(view, threshold: null, purpose: "taken-back:"));
        }
        catch (LedgerException refused) when (!refused.IsRetryable)
        {
            // The money matters more: the take-back still goes ahead, and the auto-reload grain hears of it below.
            logger.LogWarning("Payment {PaymentId}: the auto-reload threshold of {AccountId} could not be cleared ({Code})", PaymentId, Record.AccountId, refused.Code);
        }
    }

    /// <summary>
    /// Looks, after the event that named them is recorded, for events that waited for this payment's objects (a refund
    /// whose charge names only the PaymentIntent). Looking after that record closes the race with the webhook route: an
    /// event it sets aside before the record is found here, and one set aside after it finds the record (and so this
    /// payment) when the route looks again. A failure here leaves them for the next event or activation.
    /// </summary>
    private async Task AdoptWaitingAsync()
    {
        try
        {
            var waiting = await waitingEvents.FindAsync(EventSource, _facts.ObjectRefs(), CancellationToken.None);
            _unadopted = waiting.Where(e => !_facts.Knows(e.EventId)).ToList();
            if (_unadopted.Count > 0)
            {
                await ApplyAsync(null);
            }
        }
        catch (Exception failure) when (failure is not LedgerInvariantException)
        {
            logger.LogWarning("Payment {PaymentId}: waiting events not adopted yet ({Reason})", PaymentId, failure.Message);
        }
    }

    /// <summary>
    /// Folds into <paramref name="next"/> the events recorded without a payment that name one of its objects, judged as
    /// they would have been had the payment known them: in the order they arrived (a refund total below one already
    /// applied is stale, as it would have been). Refunds first would judge a dispute opened before a refund as one of
    /// money already refunded, and leave its credits spendable.
    /// </summary>
    private List<AdoptedEvent> Adopt(PaymentFacts next)
    {
        var adopted = new List<AdoptedEvent>(_unadopted.Count);
        foreach (var processed in _unadopted.Where(e => !next.Knows(e.EventId)))
        {
            var cardEvent = Read(processed);
            var outcome = next.Apply(Record, cardEvent);
            if (outcome == CardEventOutcome.Review)
            {
                logger.LogError(
                    "Payment {PaymentId}: waiting event {EventId} ({Type}) contradicts the payment or would take back more than it credited; kept for review",
                    PaymentId, cardEvent.EventId, cardEvent.Type);
            }

            adopted.Add(new AdoptedEvent(processed.EventId, outcome));
        }

        return adopted;
    }

    private async Task LoadEventsAsync(CancellationToken cancellationToken)
    {
        var facts = new PaymentFacts();
        var own = await processedEvents.ForPaymentAsync(EventSource, PaymentId, [], PaymentFacts.MaxEvents, cancellationToken);
        Fold(facts, own);
        _facts = facts;
        var refs = facts.ObjectRefs();
        if (refs.Count > 0)
        {
            var waiting = await processedEvents.FindUnmatchedAsync(EventSource, refs, PaymentFacts.MaxEvents, cancellationToken);
            _unadopted = waiting.Where(e => !facts.Knows(e.EventId)).ToList();
            if (_unadopted.Count > 0)
            {
                await ApplyAsync(null); // an adoption cut short (or still to do): finish it, its commands replay
            }
        }
    }

    /// <summary>
    /// Rebuilds the facts from recorded events, trusting the outcome each had when it was handled. Stored order is
    /// arrival order, which an adoption by an earlier version did not keep; <see cref="PaymentFacts.InFoldOrder"/>
    /// restores what matters.
    /// </summary>
    private void Fold(PaymentFacts facts, IReadOnlyList<ProcessedEvent> events)
    {
        var applied = events.Where(e => e.Outcome is CardEventOutcome.Applied).Select(e => (Processed: e, Event: Read(e)));
        foreach (var (processed, cardEvent) in PaymentFacts.InFoldOrder(applied, p => p.Event))
        {
            var again = facts.Apply(Record, cardEvent, applied: true);
            if (again != CardEventOutcome.Applied)
            {
                logger.LogWarning("Payment {PaymentId}: event {EventId} folds as {Outcome}, was applied", PaymentId, processed.EventId, again);
            }
        }

        foreach (var processed in events.Where(e => e.Outcome is not CardEventOutcome.Applied))
        {
            facts.Remember(processed.EventId);
            if (processed.Outcome == CardEventOutcome.Review && Read(processed) is { Kind: CardEventKind.RefundFailed, RefundId: { } refundId })
            {
                facts.RememberFailedRefund(refundId);
            }
        }
    }

    /// <summary>
    /// Tells the account's auto-reload of this payment (it ended, or took credits back). Not awaited: the auto-reload
    /// may be waiting on this payment itself, and it checks its payment's status and the account's threshold on its own
    /// schedule if this word is lost.
    /// </summary>
    private void TellAutoReload(Func<IAutoReloadGrain, string, Task> tell, string what)
    {
        var accountId = Record.AccountId;
        var paymentId = PaymentId;
        _ = tell(GrainFactory.GetGrain<IAutoReloadGrain>(accountId), paymentId).ContinueWith(
            failed => logger.LogWarning("Auto-reload of {AccountId} not told that {PaymentId} {What}: {Reason}", accountId, paymentId, what, failed.Exception?.GetBaseException().Message),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
    }

    /// <summary>A payment for an account that does not exist, or is closed, could never be credited.</summary>
    private async Task RequireOpenAccountAsync(string accountId)
    {
        var account = await GrainFactory.GetGrain<IAccountGrain>(accountId).Get()
            ?? throw new LedgerException(LedgerErrorCodes.NotFound, $"Account {accountId} does not exist.", "accountId");
        if (account.Status == Grid.Ledger.Accounts.AccountStatus.Closed)
        {
            throw new LedgerException(LedgerErrorCodes.AccountClosed, $"Account {accountId} is closed.");
        }
    }

    /// <summary>
    /// A repeat asks for what the client sent the first time: the package, or (without one) the amount. What the silo
    /// works out from configuration (a package's price and credits, the currency, credits per cent) may have changed
    /// since; the repeat answers the payment as first started, whose session the payer may already be paying.
    /// </summary>
    private void RequireSameStart(CheckoutStart start)
    {
        var differs =
            Record.Kind != PaymentKind.Checkout ? "operationId"
            : Record.PackageId != start.PackageId ? "packageId"
            : start.PackageId is null && Record.AmountCents != start.AmountCents ? "amountCents"
            : null;
        if (differs is not null)
        {
            throw new LedgerException(
                LedgerErrorCodes.IdempotencyConflict, $"Operation {start.OperationId} already started payment {PaymentId} with a different {differs}.", differs);
        }
    }

    private PaymentView View()
    {
        var (credited, reversed, held) = PaymentPlan.Totals(PaymentPlan.For(PaymentId, Record, _facts));
        return new PaymentView(
            PaymentId, "card", Record.Kind, StatusOf(), Record.AccountId, Record.PackageId, Record.AmountCents, Record.Currency,
            Record.Credits, credited, reversed, held, _facts.RefundedCents, Record.CheckoutUrl, Record.CreatedAt);
    }

    private PaymentStatus StatusOf()
    {
        if (_facts.Paid)
        {
            var disputes = _facts.Disputes.Values;
            return disputes.Any(d => d.State == DisputeState.Lost) ? PaymentStatus.Reversed
                : disputes.Any(d => d.State == DisputeState.Open) ? PaymentStatus.Disputed
                : _facts.RefundedCents > 0 ? PaymentStatus.Refunded
                : PaymentStatus.Credited;
        }

        return _facts.Failed || Record.Declined ? PaymentStatus.Failed
            : _facts.Expired ? PaymentStatus.Expired
            : Record.CheckoutUrl is not null || Record.PaymentIntentId is not null || _facts.AwaitingPayment ? PaymentStatus.Pending
            : PaymentStatus.Created;
    }

    private ProcessedEvent ToRecord(CardPaymentEvent cardEvent, string outcome, string? paymentId) =>
        CardEventPayload.ToProcessedEvent(cardEvent, outcome, paymentId, Context.TimeProvider.GetUtcNow());

    private static CardPaymentEvent Read(ProcessedEvent processed) => CardEventPayload.Deserialize(processed.Payload);

    /// <summary>
    /// Stripe refused the request itself (an unknown customer or payment method): asking again gets the same answer.
    /// Not an idempotency error: that one says an earlier request with the key may have charged.
    /// </summary>
    private static bool RefusedForGood(StripeException failure) =>
        failure is StripeInvalidRequestException && failure.ErrorType != "idempotency_error";

    /// <param name="what">What Stripe was asked to do, for the error (e.g. "create the session").</param>
    /// <param name="handledByCaller">Stripe failures the caller catches itself, as they are.</param>
    private async Task<T> CallStripeAsync<T>(string what, Func<Task<T>> call, Func<StripeException, bool>? handledByCaller = null)
    {
        try
        {
            return await call();
        }
        catch (StripeException failure) when (failure is not StripeCardException && handledByCaller?.Invoke(failure) != true)
        {
            logger.LogWarning("Payment {PaymentId}: Stripe refused or failed ({Error})", PaymentId, failure.GetType().Name);
            throw new LedgerException(PaymentErrorCodes.ProviderError, $"Stripe did not {what}: {failure.Message}");
        }
    }
}
