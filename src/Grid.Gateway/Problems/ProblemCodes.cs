namespace Grid.Gateway.Problems;

/// <summary>The stable `code` values of problem+json answers (API.md "Errors"). Clients branch on these.</summary>
public static class ProblemCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>The request itself could not be read (its body's framing, or a body sent too slowly).</summary>
    public const string BadRequest = "bad_request";
    public const string RateLimited = "rate_limited";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal";
}
