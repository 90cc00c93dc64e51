using System.Net;

namespace Grid.Stripe.Api.Errors;

/// <summary>
/// Stripe's answer could not be read as the object asked for (not JSON, or not that kind of object). Not
/// retried: a repeat with the same idempotency key would replay the same answer.
/// </summary>
public sealed class StripeResponseFormatException : StripeException
{
    public StripeResponseFormatException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(message, statusCode, errorType: null, errorCode: null, requestId, innerException)
    {
    }
}
