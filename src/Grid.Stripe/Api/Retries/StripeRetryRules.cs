using System.Net;
using Polly;
using Polly.Timeout;

namespace Grid.Stripe.Api.Retries;

/// <summary>
/// Which outcomes of an attempt are worth another attempt, and how long Stripe asked us to wait first.
/// </summary>
/// <remarks>
/// Retried: failed connections and attempts that timed out, 429 and 5xx, and whatever Stripe marks with
/// <c>Stripe-Should-Retry: true</c> (a 409 lock timeout, say). Not retried: 400, 401, 402, 403 and 404 whatever
/// the headers (the request itself is wrong; a repeat gets the same answer), anything marked
/// <c>Stripe-Should-Retry: false</c>, and an answer whose <c>Retry-After</c> is longer than
/// <see cref="StripeClientOptions.MaxRetryAfter"/>. Every attempt carries the same idempotency key, so a
/// repeated POST never creates a second object.
/// </remarks>
internal sealed class StripeRetryRules(StripeClientOptions options, TimeProvider time)
{
    public bool ShouldRetry(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is { } exception)
        {
            return exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result;
        if (response is null || response.IsSuccessStatusCode)
        {
            return false;
        }

        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.PaymentRequired
            or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return false;
        }

        var stripeSays = StripeResponseHeaders.ShouldRetry(response);
        if (stripeSays == false)
        {
            return false;
        }

        if (StripeResponseHeaders.RetryAfter(response, time.GetUtcNow()) > options.MaxRetryAfter)
        {
            return false;
        }

        return stripeSays == true || response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
    }

    /// <summary>The wait Stripe asked for with <c>Retry-After</c>, or null to use the exponential backoff.</summary>
    public TimeSpan? RequestedDelay(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? StripeResponseHeaders.RetryAfter(response, time.GetUtcNow()) : null;
}
