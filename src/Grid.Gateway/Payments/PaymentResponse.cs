using Grid.Contracts;
using Grid.Contracts.Payments;

namespace Grid.Gateway.Payments;

/// <summary>
/// API.md payment: <c>{paymentId, rail, status, confirmations, required, accountId, credited}</c> and the card details;
/// <see cref="AccountId"/> is null for a caller that may not read the account.
/// </summary>
internal sealed record PaymentResponse(
    string PaymentId,
    string Rail,
    string Kind,
    string Status,
    int Confirmations,
    int Required,
    string? AccountId,
    long Credited,
    long Credits,
    long Reversed,
    long Held,
    long AmountCents,
    long RefundedCents,
    string Currency,
    string? PackageId,
    DateTimeOffset CreatedAt)
{
    public static PaymentResponse From(PaymentView view) => new(
        view.PaymentId,
        view.Rail,
        StatusNames.Of(view.Kind),
        StatusNames.Of(view.Status),
        0,
        0,
        view.AccountId,
        view.Credited,
        view.Credits,
        view.Reversed,
        view.Held,
        view.AmountCents,
        view.RefundedCents,
        view.Currency,
        view.PackageId,
        view.CreatedAt);
}
