using System.Net;

namespace Grid.Stripe.Api.Errors;

/// <summary>
/// Stripe refused the request itself (400, or 404 for an unknown object): a bad or unknown parameter, an
/// idempotency key reused with other parameters (<c>idempotency_error</c>). Never retried.
/// </summary>
public sealed class StripeInvalidRequestException : StripeException
{
    public StripeInvalidRequestException(
        string message,
        HttpStatusCode? statusCode,
        string? errorType,
        string? errorCode,
        string? param,
        string? requestId)
        : base(message, statusCode, errorType, errorCode, requestId)
    {
        Param = param;
    }

    /// <summary>The parameter at fault, in Stripe's bracket syntax, e.g. <c>line_items[0][price_data][currency]</c>.</summary>
    public string? Param { get; }
}
