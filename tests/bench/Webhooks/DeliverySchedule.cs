namespace Grid.Bench.Webhooks;

/// <summary>
/// Hands out the deliveries, shared by all clients: each payment's first delivery once, in order, and every tenth
/// delivery a duplicate (same body, same event id) of a first delivery already acknowledged, as Stripe's retries of
/// a delivery it did not see answered arrive after the original. Rounds are signed when they open. It remembers
/// what each delivery was answered, for the checks after the run.
/// </summary>
public sealed class DeliverySchedule
{
    /// <summary>One delivery in ten is a duplicate.</summary>
    public const int DuplicateEvery = 10;

    private readonly IReadOnlyList<PreparedPayment> _payments;
    private readonly StripeSigner _signer;
    private readonly string[] _signatures;
    private readonly PaymentState[] _states;
    private readonly Lock _lock = new();
    private readonly int[] _acknowledged;
    private int _acknowledgedCount;
    private int _nextFirst;
    private int _roundEnd;
    private bool _duplicatesOnly;
    private TimeSpan _opened;
    private long _slots;
    private long _duplicatesSent;
    private long _duplicatesAnsweredDuplicate;
    private long _firstsAnsweredApplied;
    private string? _firstUnexpected;

    public DeliverySchedule(IReadOnlyList<PreparedPayment> payments, StripeSigner signer)
    {
        _payments = payments;
        _signer = signer;
        _signatures = new string[payments.Count];
        _states = new PaymentState[payments.Count];
        _acknowledged = new int[payments.Count];
    }

    /// <summary>First deliveries not yet handed out.</summary>
    public int Remaining => _payments.Count - Volatile.Read(ref _nextFirst);

    public long DuplicatesSent => Interlocked.Read(ref _duplicatesSent);

    public long DuplicatesAnsweredDuplicate => Interlocked.Read(ref _duplicatesAnsweredDuplicate);

    public long FirstsAnsweredApplied => Interlocked.Read(ref _firstsAnsweredApplied);

    /// <summary>The first answer that was not what its delivery called for, if any.</summary>
    public string? FirstUnexpected => Volatile.Read(ref _firstUnexpected);

    public PaymentState StateOf(int payment) => _states[payment];

    /// <summary>
    /// Opens a round of <paramref name="length"/> in a run whose rounds that use payments take <paramref name="total"/>:
    /// its share of the first deliveries left is its length over the time still to come, so an early round cannot
    /// starve the later ones.
    /// </summary>
    public void OpenRound(TimeSpan length, TimeSpan total)
    {
        var share = Math.Min(1, length / (total - _opened));
        _opened += length;
        Open((int)Math.Ceiling(Remaining * share), duplicatesOnly: false);
    }

    /// <summary>Opens a round of nothing but duplicates of acknowledged deliveries, as many as time allows.</summary>
    public void OpenDuplicatesOnly() => Open(0, duplicatesOnly: true);

    /// <summary>The next delivery, or null when the round's first deliveries are all handed out.</summary>
    public ScheduledDelivery? Next()
    {
        if (_duplicatesOnly)
        {
            if (PickAcknowledged() is not { } any)
            {
                return null;
            }

            Interlocked.Increment(ref _duplicatesSent);
            return new ScheduledDelivery(any, Duplicate: true);
        }

        var slot = Interlocked.Increment(ref _slots);
        if (slot % DuplicateEvery == 0 && PickAcknowledged() is { } earlier)
        {
            if (Volatile.Read(ref _nextFirst) >= _roundEnd)
            {
                return null; // the round is over for duplicates too, or the mix would drift
            }

            Interlocked.Increment(ref _duplicatesSent);
            return new ScheduledDelivery(earlier, Duplicate: true);
        }

        var first = Interlocked.Increment(ref _nextFirst) - 1;
        if (first >= _roundEnd)
        {
            Interlocked.Decrement(ref _nextFirst); // never handed out: the next round starts from it
            return null;
        }

        _states[first] = PaymentState.Sent;
        return new ScheduledDelivery(first, Duplicate: false);
    }

    public PreparedPayment Payment(ScheduledDelivery delivery) => _payments[delivery.Payment];

    public string Signature(ScheduledDelivery delivery) => _signatures[delivery.Payment];

    /// <summary>Records the outcome the gateway answered; false when it is not the one the delivery called for.</summary>
    public bool Answered(ScheduledDelivery delivery, string? outcome)
    {
        var expected = delivery.Duplicate ? "duplicate" : "applied";
        if (outcome != expected)
        {
            Interlocked.CompareExchange(
                ref _firstUnexpected,
                $"{(delivery.Duplicate ? "duplicate of" : "first delivery of")} {_payments[delivery.Payment].EventId} answered '{outcome}', expected '{expected}'",
                null);
            return false;
        }

        if (delivery.Duplicate)
        {
            Interlocked.Increment(ref _duplicatesAnsweredDuplicate);
            return true;
        }

        Interlocked.Increment(ref _firstsAnsweredApplied);
        _states[delivery.Payment] = PaymentState.Applied;
        lock (_lock)
        {
            _acknowledged[_acknowledgedCount++] = delivery.Payment;
        }

        return true;
    }

    /// <summary>Signs every delivery now (duplicates may repeat any earlier one), so none nears the end of the signature's tolerance.</summary>
    private void Open(int firstDeliveries, bool duplicatesOnly)
    {
        _duplicatesOnly = duplicatesOnly;
        _roundEnd = Math.Min(_payments.Count, _nextFirst + firstDeliveries);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Parallel.For(0, _payments.Count, i => _signatures[i] = _signer.Header(now, _payments[i].Body));
    }

    private int? PickAcknowledged()
    {
        lock (_lock)
        {
            return _acknowledgedCount == 0 ? null : _acknowledged[Random.Shared.Next(_acknowledgedCount)];
        }
    }
}
