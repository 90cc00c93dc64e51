namespace Grid.Ledger.Persistence;

/// <summary>
/// The processed rail events (deduplication and each payment's event history) and the links from rail
/// objects (PaymentIntents, charges) to payments. Implemented by Grid.Storage for SQLite and PostgreSQL.
/// </summary>
public interface IProcessedEventStore
{
    /// <summary>Whether this event was handled already.</summary>
    Task<bool> ExistsAsync(string source, string eventId, CancellationToken cancellationToken);

    /// <summary>Records an event that moved no money (or whose money moved under an earlier event). False when it was already recorded (a row recorded as matching no payment is taken by the payment this one names, and that counts as recorded).</summary>
    Task<bool> RecordAsync(ProcessedEvent processedEvent, CancellationToken cancellationToken);

    /// <summary>
    /// The events of a payment: those recorded for it, and those recorded without a payment whose
    /// <see cref="ProcessedEvent.ObjectRef"/> is one of <paramref name="objectRefs"/>. At most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<ProcessedEvent>> ForPaymentAsync(
        string source, string paymentId, IReadOnlyCollection<string> objectRefs, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Assigns events recorded without a payment to <paramref name="paymentId"/>, each with the outcome its
    /// handling had (after its effects are applied).
    /// </summary>
    Task AdoptAsync(string source, string paymentId, IReadOnlyCollection<AdoptedEvent> adopted, CancellationToken cancellationToken);

    /// <summary>Remembers that a rail object belongs to a payment; the first link of an object wins.</summary>
    Task LinkAsync(string objectId, string paymentId, CancellationToken cancellationToken);

    /// <summary>The events recorded without a payment whose object is one of <paramref name="objectRefs"/>, oldest first.</summary>
    Task<IReadOnlyList<ProcessedEvent>> FindUnmatchedAsync(string source, IReadOnlyCollection<string> objectRefs, int limit, CancellationToken cancellationToken);

    /// <summary>The payment a rail object belongs to, if known: from its link, else from an event recorded for a payment with it as object.</summary>
    Task<string?> FindLinkAsync(string source, string objectId, CancellationToken cancellationToken);
}
