using System.Diagnostics.CodeAnalysis;
using Grid.Chain.Siwe.Grammar;

namespace Grid.Chain.Siwe;

/// <summary>
/// An RFC 3339 timestamp from a sign-in message: the exact text (the signature covers it, and one
/// instant has many spellings) and the UTC instant it names.
/// </summary>
public sealed record SiweTimestamp
{
    private SiweTimestamp(string text, DateTimeOffset value)
    {
        Text = text;
        Value = value;
    }

    /// <summary>The timestamp as written in the message.</summary>
    public string Text { get; }

    /// <summary>The instant, in UTC.</summary>
    public DateTimeOffset Value { get; }

    /// <summary>Parses an RFC 3339 date-time; <paramref name="problem"/> says what is wrong when it is not one.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SiweTimestamp? timestamp, out string problem)
    {
        timestamp = null;
        if (text is null)
        {
            problem = "missing";
            return false;
        }

        if (!Rfc3339.TryParse(text, out var value, out problem))
        {
            return false;
        }

        timestamp = new SiweTimestamp(text, value);
        return true;
    }

    public override string ToString() => Text;
}
