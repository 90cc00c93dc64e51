namespace Grid.Ledger.Persistence;

/// <summary>
/// An event from a payment rail that the grid has handled (a Stripe webhook event, a chain log). Its
/// (<see cref="Source"/>, <see cref="EventId"/>) is recorded once; when handling it moved money, the record is
/// written in the same transaction as the journal entry that moved it, so a delivery is never credited without
/// being remembered, nor remembered without being credited.
/// </summary>
/// <param name="Source">The rail, e.g. <c>stripe</c>.</param>
/// <param name="EventId">The rail's id of the event (<c>evt_...</c>).</param>
/// <param name="Type">The rail's event type.</param>
/// <param name="PaymentId">The payment it belongs to; null while no payment is known for it (kept for review).</param>
/// <param name="ObjectRef">The rail object that leads to its payment once known (a PaymentIntent id), if any.</param>
/// <param name="Outcome">What handling it did, e.g. <c>applied</c>, <c>unmatched</c>, <c>ignored</c>.</param>
/// <param name="Payload">What the grid read from the event, as JSON: enough to fold it into its payment again.</param>
/// <param name="At">When it was handled.</param>
public sealed record ProcessedEvent(
    string Source, string EventId, string Type, string? PaymentId, string? ObjectRef, string Outcome, string Payload, DateTimeOffset At)
{
    public const int MaxIdLength = 255;
    public const int MaxPayloadLength = 16 * 1024;

    /// <summary>Throws <see cref="ArgumentException"/> on a record that must not reach the store.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Source);
        ArgumentException.ThrowIfNullOrEmpty(EventId);
        ArgumentException.ThrowIfNullOrEmpty(Type);
        ArgumentException.ThrowIfNullOrEmpty(Outcome);
        ArgumentNullException.ThrowIfNull(Payload);
        if (EventId.Length > MaxIdLength || (PaymentId?.Length ?? 0) > MaxIdLength || (ObjectRef?.Length ?? 0) > MaxIdLength)
        {
            throw new ArgumentException($"Event, payment and object ids are at most {MaxIdLength} characters.");
        }

        if (Payload.Length > MaxPayloadLength)
        {
            throw new ArgumentException($"An event payload is at most {MaxPayloadLength} characters.", nameof(Payload));
        }
    }
}
