namespace Grid.Contracts.Payments;

/// <summary>
/// A top-up to start on Stripe Checkout. The payment id is derived from the account and the operation id, so
/// sending the same start again returns the same payment; another start under the same ids is a conflict.
/// </summary>
public sealed record CheckoutStart(
    string AccountId,
    string OperationId,
    string? PackageId,
    long AmountCents,
    string Currency,
    long Credits,
    string ProductName,
    string SuccessUrl,
    string CancelUrl);
