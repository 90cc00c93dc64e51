using System.Net;

namespace Grid.Stripe.Api.Errors;

/// <summary>
/// Any other error answer: Stripe's side failed (5xx, after the retries allowed), or a status the other
/// errors do not cover (403, 409...). With the idempotency key, the call can be repeated later safely.
/// </summary>
public sealed class StripeApiException : StripeException
{
    public StripeApiException(string message, HttpStatusCode? statusCode, string? errorType, string? errorCode, string? requestId)
        : base(message, statusCode, errorType, errorCode, requestId)
    {
    }
}
