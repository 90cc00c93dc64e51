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
        foreach (var (id, dispute) in _disputes)
        {
            copy._disputes.Add(id, dispute);
        }

        return copy;
    }

    /// <summary>
    /// Folds one event in and says what it did (<see cref="CardEventOutcome"/>). Only an <c>applied</c> event
    /// changes the money facts; every event learns its links and is remembered.
    /// </summary>
    public string Apply(PaymentRecord record, CardPaymentEvent cardEvent)
    {
        ArgumentNullException.ThrowIfNull(cardEvent);
        if (_eventIds.Count >= MaxEvents)
        {
            return CardEventOutcome.Review; // far beyond any real payment: refuse to grow without bound
        }

        _eventIds.Add(cardEvent.EventId);
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
            CardEventKind.Refunded => ApplyRefund(record, cardEvent),
            CardEventKind.DisputeOpened or CardEventKind.DisputeWon or CardEventKind.DisputeLost => ApplyDispute(cardEvent),
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

        if (record.Kind == PaymentKind.AutoReload && cardEvent.PaymentIntentId is { } intent && PaymentIntentId is { } known && intent != known)
        {
            // A second PaymentIntent for one auto-reload (asked again after Stripe's idempotency window): the card may have
            // been charged twice for one credit. A person must look, never a silent "stale".
            return CardEventOutcome.Review;
        }

        return Set(!Paid, () => Paid = true);
    }

    private string ApplyRefund(PaymentRecord record, CardPaymentEvent cardEvent)
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

        if (_refundTotals.Count >= MaxRefundsOrDisputes)
        {
            return CardEventOutcome.Review;
        }

        _refundTotals.Add(total);
        return CardEventOutcome.Applied;
    }

    private string ApplyDispute(CardPaymentEvent cardEvent)
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

            _disputes[disputeId] = known with { State = state };
            return CardEventOutcome.Applied;
        }

        if (_disputes.Count >= MaxRefundsOrDisputes)
        {
            return CardEventOutcome.Review;
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
