namespace Grid.Contracts.Payments;

/// <summary>An off-session charge of a saved card, started by an account's auto-reload.</summary>
public sealed record AutoReloadStart(
    string AccountId, long AmountCents, string Currency, long Credits, string CustomerId, string PaymentMethodId);
