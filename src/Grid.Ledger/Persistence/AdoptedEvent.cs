namespace Grid.Ledger.Persistence;

/// <summary>An event recorded without a payment, now handled by the payment it turned out to belong to.</summary>
public readonly record struct AdoptedEvent(string EventId, string Outcome);
