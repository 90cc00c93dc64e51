namespace Grid.Stripe.Api;

/// <summary>What the headers of a Stripe answer say beyond its status.</summary>
internal static class StripeResponseHeaders
{
    public static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Request-Id", out var values) ? values.FirstOrDefault() : null;

    /// <summary>
    /// <c>Stripe-Should-Retry</c>: Stripe's own word on whether repeating the request can help; null when absent
    /// or unreadable.
    /// </summary>
    public static bool? ShouldRetry(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Stripe-Should-Retry", out var values))
        {
            return null;
        }

        var value = values.FirstOrDefault()?.Trim();
        return string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) ? true
            : string.Equals(value, "false", StringComparison.OrdinalIgnoreCase) ? false
            : null;
    }

    /// <summary><c>Retry-After</c> as a wait from <paramref name="now"/> (seconds or an HTTP date; never negative).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
