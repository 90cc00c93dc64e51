using System.Net;

namespace Grid.Stripe.Api.Errors;

/// <summary>
/// The card was declined or cannot be charged (<c>card_error</c>, usually 402). Never retried: the same
/// request gets the same answer. For an off-session PaymentIntent, <see cref="PaymentIntentId"/> names the
/// PaymentIntent Stripe created and left in <c>requires_payment_method</c>.
/// </summary>
public sealed class StripeCardException : StripeException
{
    public StripeCardException(
        string message,
        HttpStatusCode? statusCode,
        string? errorCode,
        string? declineCode,
        string? param,
        string? paymentIntentId,
        string? requestId)
        : base(message, statusCode, "card_error", errorCode, requestId)
    {
        DeclineCode = declineCode;
        Param = param;
        PaymentIntentId = paymentIntentId;
    }

    /// <summary>The issuer's reason, e.g. <c>insufficient_funds</c>, <c>authentication_required</c>.</summary>
    public string? DeclineCode { get; }

    public string? Param { get; }

    public string? PaymentIntentId { get; }
}
