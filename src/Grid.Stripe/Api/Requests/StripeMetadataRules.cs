namespace Grid.Stripe.Api.Requests;

/// <summary>Stripe's limits on metadata, checked before sending so a mistake is ours to report, not a 400.</summary>
internal static class StripeMetadataRules
{
    public const int MaxEntries = 50;
    public const int MaxKeyLength = 40;
    public const int MaxValueLength = 500;

    /// <summary>
    /// Merges <paramref name="ours"/> (the ids the grid relies on) with the caller's <paramref name="extra"/>
    /// entries, refusing extras that would replace ours, and checks the result against Stripe's limits.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Merge(
        IReadOnlyDictionary<string, string> ours,
        IReadOnlyDictionary<string, string>? extra,
        string parameterName)
    {
        var merged = new Dictionary<string, string>(ours, StringComparer.Ordinal);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            if (!merged.TryAdd(key, value))
            {
                throw new ArgumentException($"Metadata \"{key}\" is set by the grid and cannot be given.", parameterName);
            }
        }

        if (merged.Count > MaxEntries)
        {
            throw new ArgumentException($"Stripe takes at most {MaxEntries} metadata entries.", parameterName);
        }

        foreach (var (key, value) in merged)
        {
            if (key.Length is 0 or > MaxKeyLength || key.AsSpan().IndexOfAny('[', ']') >= 0)
            {
                throw new ArgumentException($"A metadata key is 1 to {MaxKeyLength} characters without square brackets: \"{key}\".", parameterName);
            }

            if (value is null || value.Length > MaxValueLength)
            {
                throw new ArgumentException($"Metadata \"{key}\" needs a value of at most {MaxValueLength} characters.", parameterName);
            }
        }

        return merged;
    }
}
