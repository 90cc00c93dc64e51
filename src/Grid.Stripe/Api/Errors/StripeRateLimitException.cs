using System.Net;

namespace Grid.Stripe.Api.Errors;

/// <summary>
/// Stripe is limiting our request rate (429) and the retries allowed for this call are used up, or Stripe
/// asked us to wait longer than we wait within a call (<see cref="RetryAfter"/>).
/// </summary>
public sealed class StripeRateLimitException : StripeException
{
    public StripeRateLimitException(
        string message,
        HttpStatusCode? statusCode,
        string? errorType,
        string? errorCode,
        string? requestId,
        TimeSpan? retryAfter)
        : base(message, statusCode, errorType, errorCode, requestId)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long Stripe asked us to wait (<c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
