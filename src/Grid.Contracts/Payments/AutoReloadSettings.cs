namespace Grid.Contracts.Payments;

/// <summary>
/// An account's auto-reload: when its available balance falls below <paramref name="ThresholdCredits"/>, the saved
/// card is charged off-session once, for <paramref name="AmountCents"/> or for enough to reach
/// <paramref name="TargetCredits"/> (exactly one of the two).
/// </summary>
public sealed record AutoReloadSettings(string CustomerId, string PaymentMethodId, long ThresholdCredits, long? AmountCents, long? TargetCredits);
