namespace Grid.Stripe.TestKit.StandIn;

/// <summary>
/// A scripted misbehaviour, served to one request in arrival order (or to every request, as a standing
/// fault). Faults other than <see cref="DropAfterProcessing"/> answer at the front door, before the request
/// is processed, as a rate limiter or a failing load balancer would: no object is created and nothing is
/// stored under the idempotency key.
/// </summary>
public abstract record StandInFault
{
    /// <summary>429 <c>rate_limit</c>, with <c>Retry-After</c> set to <paramref name="RetryAfter"/> as written, if given.</summary>
    public sealed record RateLimited(string? RetryAfter = null) : StandInFault;

    /// <summary>A 5xx <c>api_error</c> in Stripe's shape, optionally with <c>Stripe-Should-Retry</c>.</summary>
    public sealed record ServerError(int Status = 500, string? ShouldRetry = null) : StandInFault;

    /// <summary>A 5xx from something in front of Stripe: an HTML page, not Stripe's error object.</summary>
    public sealed record HtmlServerError(int Status = 502) : StandInFault;

    /// <summary>Any Stripe-shaped error, e.g. a 400 <c>card_error</c> or a 409 <c>lock_timeout</c>.</summary>
    public sealed record Error(int Status, string Type, string Message, string? Code = null, string? DeclineCode = null, string? ShouldRetry = null)
        : StandInFault;

    /// <summary>200 with a body cut off in the middle of the JSON.</summary>
    public sealed record MalformedJson : StandInFault;

    /// <summary>200 with well-formed JSON of another kind of object than the route returns.</summary>
    public sealed record WrongObject : StandInFault;

    /// <summary>Never answers; the request stays open until the client gives up on it.</summary>
    public sealed record Hang : StandInFault;

    /// <summary>Processes the request in full (objects created, result stored under its key), then drops the connection unanswered.</summary>
    public sealed record DropAfterProcessing : StandInFault;
}
