namespace Grid.Stripe.Api;

/// <summary>
/// How the grid talks to Stripe's REST API. Bound from configuration (<c>Grid:Stripe</c>); the secret key
/// comes from configuration or the environment only and never appears in logs or in <see cref="ToString"/>.
/// </summary>
public sealed class StripeClientOptions
{
    /// <summary>
    /// The Stripe API version every request pins with <c>Stripe-Version</c>, so that the account's default
    /// version (changed in the dashboard) cannot change the shape of what we parse.
    /// </summary>
    public const string ApiVersion = "2024-06-20";

    /// <summary>The most attempts a call may make, whatever the configuration says.</summary>
    public const int MaxAttemptsLimit = 5;

    public static readonly Uri DefaultApiBase = new("https://api.stripe.com");

    /// <summary>The secret (<c>sk_...</c>) or restricted (<c>rk_...</c>) key.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>Where the API lives. https, or http to a loopback address (a local stand-in).</summary>
    public Uri ApiBase { get; set; } = DefaultApiBase;

    /// <summary>How long one attempt (connect, send, read the whole response) may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per call, the first included (1..<see cref="MaxAttemptsLimit"/>).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The median delay before the first retry; later ones grow exponentially, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>No computed backoff delay is longer than this.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest <c>Retry-After</c> we wait for. When Stripe asks for longer, the call is not retried and
    /// the error (with its <c>RetryAfter</c>) goes to the caller, who can come back later.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The mode of <paramref name="secretKey"/>: true for a live key (<c>sk_live_</c>, <c>rk_live_</c>), false for a
    /// test key, null for neither. A signed event of the other mode is not acted on.
    /// </summary>
    public static bool? LiveModeOf(string? secretKey) =>
        secretKey is null ? null
        : secretKey.StartsWith("sk_live_", StringComparison.Ordinal) || secretKey.StartsWith("rk_live_", StringComparison.Ordinal) ? true
        : secretKey.StartsWith("sk_test_", StringComparison.Ordinal) || secretKey.StartsWith("rk_test_", StringComparison.Ordinal) ? false
        : null;

    /// <summary>The last four characters of the key: all of it that may be written anywhere.</summary>
    public string SecretKeyHint => SecretKey.Length >= 8 ? "..." + SecretKey[^4..] : "(unset)";

    /// <summary>Throws <see cref="InvalidOperationException"/> naming every setting that is wrong.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(SecretKey))
        {
            problems.Add("SecretKey is required");
        }
        else if (SecretKey.StartsWith("pk_", StringComparison.Ordinal))
        {
            problems.Add("SecretKey is a publishable key (pk_...); the API needs a secret (sk_...) or restricted (rk_...) key");
        }
        else if (!(SecretKey.StartsWith("sk_", StringComparison.Ordinal) || SecretKey.StartsWith("rk_", StringComparison.Ordinal))
            || SecretKey.Length < 8
            || SecretKey.Any(c => c <= ' ' || c > '~'))
        {
            problems.Add("SecretKey must be a Stripe secret (sk_...) or restricted (rk_...) key");
        }

        if (ApiBase is null || !ApiBase.IsAbsoluteUri)
        {
            problems.Add("ApiBase must be an absolute URL");
        }
        else if (ApiBase.Scheme != Uri.UriSchemeHttps && !(ApiBase.Scheme == Uri.UriSchemeHttp && ApiBase.IsLoopback))
        {
            problems.Add("ApiBase must use https (http only to a loopback address)");
        }

        if (AttemptTimeout < TimeSpan.FromMilliseconds(10) || AttemptTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add("AttemptTimeout must be between 10 ms and 10 minutes");
        }

        if (MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            problems.Add($"MaxAttempts must be between 1 and {MaxAttemptsLimit}");
        }

        if (BaseDelay <= TimeSpan.Zero || BaseDelay > TimeSpan.FromMinutes(1))
        {
            problems.Add("BaseDelay must be positive and at most one minute");
        }

        if (MaxDelay < BaseDelay || MaxDelay > TimeSpan.FromMinutes(5))
        {
            problems.Add("MaxDelay must be at least BaseDelay and at most five minutes");
        }

        if (MaxRetryAfter < TimeSpan.Zero || MaxRetryAfter > TimeSpan.FromMinutes(5))
        {
            problems.Add("MaxRetryAfter must be between zero and five minutes");
        }

        if (problems.Count > 0)
        {
            throw new StripeSettingsException("Invalid Stripe client settings (Grid:Stripe): " + string.Join("; ", problems) + ".");
        }
    }

    /// <summary>Describes the settings with the key reduced to its hint.</summary>
    public override string ToString() =>
        $"Stripe API {ApiBase} (version {ApiVersion}, key {SecretKeyHint}, {MaxAttempts} attempts of at most {AttemptTimeout})";
}
