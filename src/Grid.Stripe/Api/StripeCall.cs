namespace Grid.Stripe.Api;

/// <summary>One logical call to Stripe, shared by its attempts: what to send, and how many times it was sent.</summary>
internal sealed class StripeCall(HttpMethod method, string path, byte[]? formBody, string? idempotencyKey)
{
    public HttpMethod Method { get; } = method;

    /// <summary>Relative to the API base, e.g. <c>v1/checkout/sessions</c>.</summary>
    public string Path { get; } = path;

    public byte[]? FormBody { get; } = formBody;

    public string? IdempotencyKey { get; } = idempotencyKey;

    /// <summary>Attempts run one after another, never at once, so a plain counter does.</summary>
    public int Attempts { get; set; }

    public string Operation => $"{Method} /{Path}";
}
