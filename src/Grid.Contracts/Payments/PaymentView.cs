namespace Grid.Contracts.Payments;

/// <summary>A payment as callers see it (API.md <c>GET /v1/payments/{paymentId}</c>).</summary>
/// <param name="Credits">Credits the payment buys.</param>
/// <param name="Credited">Credits deposited to the account by it (0 or <paramref name="Credits"/>).</param>
/// <param name="Reversed">Credits taken back by refunds and lost disputes.</param>
/// <param name="Held">Credits held for open disputes.</param>
public sealed record PaymentView(
    string PaymentId,
    string Rail,
    PaymentKind Kind,
    PaymentStatus Status,
    string AccountId,
    string? PackageId,
    long AmountCents,
    string Currency,
    long Credits,
    long Credited,
    long Reversed,
    long Held,
    long RefundedCents,
    string? CheckoutUrl,
    DateTimeOffset CreatedAt);
