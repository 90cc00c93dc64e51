using Grid.Contracts;
using Grid.Contracts.Chain;

namespace Grid.Gateway.Payments;

/// <summary>
/// API.md payment for the chain rail: <c>{paymentId, rail, status, confirmations, required, accountId, credited, guestToken?}</c>
/// and the chain details. <see cref="GuestToken"/> is given once the payment credited the paying wallet's own guest account.
/// </summary>
internal sealed record ChainPaymentResponse(
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
    ulong ChainId,
    string Token,
    string Wallet,
    string? TokenAmount,
    string? TransactionHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    string? GuestToken)
{
    public const string ChainRail = "chain";

    public static ChainPaymentResponse From(ChainPaymentView view, string? guestToken) => new(
        view.PaymentId,
        ChainRail,
        StatusNames.Of(view.Kind),
        StatusNames.Of(view.Status),
        view.Confirmations,
        view.Required,
        view.AccountId,
        view.Credited,
        view.Credits,
        view.Reversed,
        view.ChainId,
        view.Token,
        view.Wallet,
        view.TokenAmount,
        view.TransactionHash,
        view.CreatedAt,
        view.ExpiresAt,
        guestToken);
}
