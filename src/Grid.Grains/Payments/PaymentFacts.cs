using Grid.Contracts.Payments;

namespace Grid.Grains.Payments;

/// <summary>
/// What a payment's applied events established. Facts only grow (paid stays paid, a refund total only rises, a
/// dispute only closes), so folding the same events in another order gives the same facts, and the ledger
/// commands they call for (<see cref="PaymentPlan"/>) are the same. Not thread-safe: owned by the payment grain.
/// </summary>
internal sealed class PaymentFacts
{
    /// <summary>Bound on events folded into one payment; a payment has a handful in real life.</summary>
    public const int MaxEvents = 256;

    /// <summary>Bound on the refund totals and disputes one payment may carry.</summary>
    public const int MaxRefundsOrDisputes = 32;

    /// <summary>Bound on the charges a payment remembers (one in practice; a retried payment has a few).</summary>
    public const int MaxCharges = 8;

    private readonly HashSet<string> _eventIds = new(StringComparer.Ordinal);
    private readonly SortedSet<long> _refundTotals = [];
    private readonly SortedDictionary<string, DisputeFacts> _disputes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _chargeIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failedRefundIds = new(StringComparer.Ordinal);

    public bool Paid { get; private set; }

    public bool AwaitingPayment { get; private set; }

    public bool Failed { get; private set; }

    public bool Expired { get; private set; }

    public string? PaymentIntentId { get; private set; }

    /// <summary>Refund totals applied, ascending: each one reverses what it adds to the one below.</summary>
    public IReadOnlyCollection<long> RefundTotals => _refundTotals;

    public long RefundedCents => _refundTotals.Count > 0 ? _refundTotals.Max : 0;

    public IReadOnlyDictionary<string, DisputeFacts> Disputes => _disputes;

    public IReadOnlyCollection<string> ChargeIds => _chargeIds;

    public int EventCount => _eventIds.Count;

    public bool Knows(string eventId) => _eventIds.Contains(eventId);

    /// <summary>Notes an event that was handled without being applied (stale, review, ignored), so it is not handled again.</summary>
    public void Remember(string eventId) => _eventIds.Add(eventId);

    /// <summary>
    /// Notes a refund already kept for review as failed (folded from its stored event): Stripe tells one failure in up
    /// to three events, and a person needs to hear of it once.
    /// </summary>
    public void RememberFailedRefund(string refundId)
    {
        if (_failedRefundIds.Count < MaxRefundsOrDisputes)
        {
            _failedRefundIds.Add(refundId);
        }
    }

    /// <summary>The rail objects that lead to this payment: its PaymentIntent and charges.</summary>
    public IReadOnlyCollection<string> ObjectRefs()
    {
        var refs = new List<string>(_chargeIds.Count + 1);
        if (PaymentIntentId is { } intent)
        {
            refs.Add(intent);
        }

        refs.AddRange(_chargeIds);
        return refs;
    }

    public PaymentFacts Clone()
    {
        var copy = new PaymentFacts
        {
            Paid = Paid,
            AwaitingPayment = AwaitingPayment,
            Failed = Failed,
            Expired = Expired,
            PaymentIntentId = PaymentIntentId,
        };
        copy._eventIds.UnionWith(_eventIds);
        copy._refundTotals.UnionWith(_refundTotals);
        copy._chargeIds.UnionWith(_chargeIds);
        copy._failedRefundIds.UnionWith(_failedRefundIds);
        foreach (var (id, dispute) in _disputes)
        {
            copy._disputes.Add(id, dispute);
        }

        return copy;
    }

    /// <summary>
    /// The order a reload folds a payment's applied events in: refunds first, by ascending total, as they can only have
    /// been applied; then the rest as they arrived (<paramref name="items"/> come in arrival order). Each is taken as it
    /// was judged when it came, so this order gives the facts it had.
    /// </summary>
    public static IEnumerable<T> InFoldOrder<T>(IEnumerable<T> items, Func<T, CardPaymentEvent> eventOf) =>
        items
            .Select(item => (Item: item, Event: eventOf(item)))
            .OrderBy(p => p.Event.Kind == CardEventKind.Refunded ? 0 : 1)
            .ThenBy(p => p.Event.Kind == CardEventKind.Refunded ? p.Event.AmountCents : 0)
            .Select(p => p.Item);

    /// <summary>
    /// Folds one event in and says what it did (<see cref="CardEventOutcome"/>). Only an <c>applied</c> event
    /// changes the money facts; every event learns its links and is remembered.
    /// </summary>
    /// <param name="applied">
    /// The event was applied when it arrived (a reload folds it again): its money was moved then, so it is not judged
    /// again against what the facts could take back. Folded in another order than it arrived in (refunds first), a
    /// dispute opened before a refund would otherwise look like a dispute of money already refunded, and its hold would
    /// drop out of the facts while the account still holds it.
    /// </param>
    public string Apply(PaymentRecord record, CardPaymentEvent cardEvent, bool applied = false)
    {
        ArgumentNullException.ThrowIfNull(cardEvent);
        if (_eventIds.Count >= MaxEvents)
        {
            return CardEventOutcome.Review; // far beyond any real payment: refuse to grow without bound
        }

        _eventIds.Add(cardEvent.EventId);
        if (cardEvent.CheckoutSessionId is { } session && record.CheckoutSessionId is { } own && !string.Equals(session, own, StringComparison.Ordinal))
        {
            // Not the session Stripe made for this payment: its links and money are not this payment's to learn or move.
            return CardEventOutcome.Review;
        }

        LearnLinks(cardEvent);
        if (cardEvent.Currency is { } currency && !string.Equals(currency, record.Currency, StringComparison.Ordinal))
        {
            return CardEventOutcome.Review;
        }

        return cardEvent.Kind switch
        {
            CardEventKind.Paid => ApplyPaid(record, cardEvent),
            CardEventKind.AwaitingPayment => Set(!Paid, () => AwaitingPayment = true),
            CardEventKind.Failed => PaysThis(record, cardEvent) ? Set(!Paid && !Failed, () => Failed = true) : CardEventOutcome.Ignored,
            CardEventKind.Expired => Set(!Paid && !Expired, () => Expired = true),
            CardEventKind.Refunded => OfPayingIntent(record, cardEvent) ? ApplyRefund(record, cardEvent, applied) : CardEventOutcome.Review,
            // Its credits were taken back when it was made; the customer has neither them nor the money. Whether they get
            // the money another way or the credits again is a person's call, never the grid's guess.
            CardEventKind.RefundFailed => ApplyRefundFailed(cardEvent),
            CardEventKind.DisputeOpened or CardEventKind.DisputeWon or CardEventKind.DisputeLost =>
                OfPayingIntent(record, cardEvent) ? ApplyDispute(record, cardEvent, applied) : CardEventOutcome.Review,
            _ => CardEventOutcome.Ignored,
        };
    }

    /// <summary>A top-up is paid by its Checkout Session's events; an auto-reload by its PaymentIntent's.</summary>
    private static bool PaysThis(PaymentRecord record, CardPaymentEvent cardEvent) => record.Kind switch
    {
        PaymentKind.Checkout => cardEvent.Source == CardEventSource.CheckoutSession,
        PaymentKind.AutoReload => cardEvent.Source == CardEventSource.PaymentIntent,
        _ => false,
    };

    /// <summary>
    /// A refund or dispute takes back what this payment's own PaymentIntent paid for. One of another PaymentIntent
    /// (a second charge for one auto-reload, whose paid event went to review) took nothing from this payment's credits,
    /// so it may not take them back; refunding such a duplicate charge is what an operator would do first.
    /// </summary>
    private bool OfPayingIntent(PaymentRecord record, CardPaymentEvent cardEvent) =>
        cardEvent.PaymentIntentId is not { } intent
        || PayingIntent(record) is not { } paying
        || string.Equals(intent, paying, StringComparison.Ordinal);

    /// <summary>
    /// The PaymentIntent whose money this payment credits, the same for a paid event and for a refund or dispute: the
    /// one Stripe answered the payment's own ask with, else the first one its events named.
    /// </summary>
    private string? PayingIntent(PaymentRecord record) => record.PaymentIntentId ?? PaymentIntentId;

    /// <summary>
    /// The credits refunds and disputes could take back if every dispute were lost (a new dispute is judged against
    /// this: one of money already refunded, or disputed, goes to a person).
    /// </summary>
    private long ExposedCredits(PaymentRecord record, long refundedCents, long newDisputeCents) =>
        PaymentPlan.CreditsFor(record, refundedCents)
        + _disputes.Values.Sum(d => PaymentPlan.CreditsFor(record, d.AmountCents))
        + PaymentPlan.CreditsFor(record, newDisputeCents);

    /// <summary>
    /// The credits refunds and lost disputes take back (a refund, and a dispute's loss, is judged against this). A dispute
    /// still open only holds its credits, and one won gives them back: a refund made meanwhile (the usual answer to an
    /// inquiry) or after is money the customer has, so its credits go. Only money paid back twice, a refund and a lost
    /// dispute together past the credits, goes to a person (the later of the two, whichever it is).
    /// </summary>
    private long TakenCredits(PaymentRecord record, long refundedCents) =>
        PaymentPlan.CreditsFor(record, refundedCents)
        + _disputes.Values.Where(d => d.State == DisputeState.Lost).Sum(d => PaymentPlan.CreditsFor(record, d.AmountCents));

    private string ApplyPaid(PaymentRecord record, CardPaymentEvent cardEvent)
    {
        if (!PaysThis(record, cardEvent))
        {
            return CardEventOutcome.Ignored; // e.g. payment_intent.succeeded of a checkout top-up: its session's event pays it
        }

        if (cardEvent.AmountCents != record.AmountCents)
        {
            return CardEventOutcome.Review; // never credit for money other than what the payment asked for
        }

        if (record.Kind == PaymentKind.AutoReload && cardEvent.PaymentIntentId is { } intent && PayingIntent(record) is { } paying && intent != paying)
        {
            // A second PaymentIntent for one auto-reload (asked again after Stripe's idempotency window): the card may have
            // been charged twice for one credit. A person must look, never a silent "stale".
            return CardEventOutcome.Review;
        }

        return Set(!Paid, () => Paid = true);
    }

    /// <summary>
    /// Whether <paramref name="cardEvent"/> is the loss of an open dispute of this payment that refunds made meanwhile keep
    /// from taking its credits (it is kept for review: the customer got the money back twice).
    /// </summary>
    public bool LossPastCredits(PaymentRecord record, CardPaymentEvent cardEvent) =>
        cardEvent is { Kind: CardEventKind.DisputeLost, DisputeId: { } disputeId }
        && string.Equals(cardEvent.Currency ?? record.Currency, record.Currency, StringComparison.Ordinal)
        && OfPayingIntent(record, cardEvent)
        && _disputes.TryGetValue(disputeId, out var known) && known.State == DisputeState.Open
        && LossWouldTakeTwice(record, known);

    /// <summary>Losing <paramref name="dispute"/> would take back, with the refunds and losses so far, more than was credited.</summary>
    private bool LossWouldTakeTwice(PaymentRecord record, DisputeFacts dispute) =>
        TakenCredits(record, RefundedCents) + PaymentPlan.CreditsFor(record, dispute.AmountCents) > record.Credits;

    private string ApplyRefund(PaymentRecord record, CardPaymentEvent cardEvent, bool applied)
    {
        if (cardEvent.AmountCents is not { } total || total <= 0)
        {
            return CardEventOutcome.Review;
        }

        total = Math.Min(total, record.AmountCents);
        if (total <= RefundedCents)
        {
            return CardEventOutcome.Stale; // a later refund total was applied already
        }

        if (!applied && (_refundTotals.Count >= MaxRefundsOrDisputes || TakenCredits(record, total) > record.Credits))
        {
            // Past the credits: a refund after a lost dispute of the same money would take the credits back twice.
            // Stripe may well have paid out twice, but the account got them once: a person decides.
            return CardEventOutcome.Review;
        }

        _refundTotals.Add(total);
        return CardEventOutcome.Applied;
    }

    private string ApplyRefundFailed(CardPaymentEvent cardEvent)
    {
        if (cardEvent.RefundId is { } refundId && _failedRefundIds.Contains(refundId))
        {
            return CardEventOutcome.Stale; // another of Stripe's notices of a failure already kept for review
        }

        if (cardEvent.RefundId is { } id)
        {
            RememberFailedRefund(id);
        }

        return CardEventOutcome.Review;
    }

    private string ApplyDispute(PaymentRecord record, CardPaymentEvent cardEvent, bool applied)
    {
        if (cardEvent.DisputeId is not { } disputeId || cardEvent.AmountCents is not { } amount || amount <= 0)
        {
            return CardEventOutcome.Review;
        }

        var state = cardEvent.Kind switch
        {
            CardEventKind.DisputeWon => DisputeState.Won,
            CardEventKind.DisputeLost => DisputeState.Lost,
            _ => DisputeState.Open,
        };
        if (_disputes.TryGetValue(disputeId, out var known))
        {
            if (known.State != DisputeState.Open || state == DisputeState.Open)
            {
                return CardEventOutcome.Stale;
            }

            if (!applied && state == DisputeState.Lost && LossWouldTakeTwice(record, known))
            {
                // Refunds made while it was open took back credits its loss would take again: the customer got the money
                // back twice. Its hold stays, and a person decides what the account owes.
                return CardEventOutcome.Review;
            }

            _disputes[disputeId] = known with { State = state };
            return CardEventOutcome.Applied;
        }

        if (!applied && (_disputes.Count >= MaxRefundsOrDisputes || ExposedCredits(record, RefundedCents, amount) > record.Credits))
        {
            return CardEventOutcome.Review; // a dispute of money refunded (or disputed) already: a person decides
        }

        _disputes.Add(disputeId, new DisputeFacts(amount, state));
        return CardEventOutcome.Applied;
    }

    private void LearnLinks(CardPaymentEvent cardEvent)
    {
        PaymentIntentId ??= cardEvent.PaymentIntentId;
        if (cardEvent.ChargeId is { } charge && _chargeIds.Count < MaxCharges)
        {
            _chargeIds.Add(charge);
        }
    }

    private static string Set(bool changes, Action apply)
    {
        if (!changes)
        {
            return CardEventOutcome.Stale;
        }

        apply();
        return CardEventOutcome.Applied;
    }
}
