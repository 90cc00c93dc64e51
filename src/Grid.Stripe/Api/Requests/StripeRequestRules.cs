namespace Grid.Stripe.Api.Requests;

/// <summary>Checks on request fields shared by the request records.</summary>
internal static class StripeRequestRules
{
    /// <summary>Stripe's largest amount in minor units (eight digits).</summary>
    public const long MaxAmount = 99_999_999;

    public static void Amount(long amount, string parameterName)
    {
        if (amount is < 1 or > MaxAmount)
        {
            throw new ArgumentOutOfRangeException(parameterName, amount, $"An amount is 1 to {MaxAmount} in the currency's smallest unit.");
        }
    }

    /// <summary>A three-letter ISO currency code in lower case, as Stripe writes it.</summary>
    public static void Currency(string? currency, string parameterName)
    {
        if (currency is not { Length: 3 } || !currency.All(char.IsAsciiLetterLower))
        {
            throw new ArgumentException("A currency is a three-letter ISO code in lower case, e.g. \"usd\".", parameterName);
        }
    }

    /// <summary>A Stripe object id such as <c>cus_...</c>: a known prefix, then letters, digits and '_'.</summary>
    public static void ObjectId(string? id, string prefix, string parameterName)
    {
        if (!IsObjectId(id, prefix))
        {
            throw new ArgumentException($"A Stripe id here starts with \"{prefix}\" and has only letters, digits and '_'.", parameterName);
        }
    }

    public static bool IsObjectId(string? id, string prefix) =>
        id is not null
        && id.Length > prefix.Length
        && id.Length <= 255
        && id.StartsWith(prefix, StringComparison.Ordinal)
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>An absolute http(s) URL, kept as written (Checkout fills in templates such as <c>{CHECKOUT_SESSION_ID}</c>).</summary>
    public static void AbsoluteUrl(string? url, string parameterName)
    {
        if (!IsAbsoluteUrl(url))
        {
            throw new ArgumentException("An absolute http or https URL is required.", parameterName);
        }
    }

    public static bool IsAbsoluteUrl(string? url) =>
        url is not null
        && url.Length <= 5000
        && Uri.TryCreate(url, UriKind.Absolute, out var parsed)
        && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
        && parsed.Host.Length > 0;

    public static void Text(string? text, int maxLength, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > maxLength)
        {
            throw new ArgumentException($"A text of 1 to {maxLength} characters is required.", parameterName);
        }
    }
}
