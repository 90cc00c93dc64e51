using System.Buffers;
using System.Globalization;

namespace Grid.Stripe.Webhooks;

/// <summary>
/// A parsed <c>Stripe-Signature</c> header: <c>t=&lt;unix seconds&gt;</c> and the <c>v1</c> signatures, e.g.
/// <c>t=1700000000,v1=5257a8…,v1=0f1e2d…,v0=…</c>.
/// </summary>
/// <remarks>
/// Items are separated by commas and split at their first <c>=</c>. Spaces and tabs around an item are dropped and
/// empty items skipped, as Stripe's own libraries tolerate them; keys are case-sensitive. Schemes other than
/// <c>v1</c> (<c>v0</c> is a test-mode scheme anyone can compute) and unknown keys are ignored. A <c>v1</c> value
/// that is not 64 lowercase hex digits is kept as a signature that matches nothing: Stripe's libraries compare
/// the lowercase hex text, so such a value can never be a valid signature, yet it is not a reason to refuse the
/// others. Repeating <c>t</c> with another value is malformed, since it would be ambiguous which time was signed.
/// </remarks>
internal sealed class StripeSignatureHeader
{
    private const int SignatureLength = 32;
    private const int MaxTimestampDigits = 18; // below long.MaxValue, far beyond any real timestamp

    private static readonly SearchValues<char> LowercaseHex = SearchValues.Create("0123456789abcdef");

    private StripeSignatureHeader(long timestamp, IReadOnlyList<byte[]?> signatures)
    {
        Timestamp = timestamp;
        Signatures = signatures;
    }

    /// <summary>The <c>t</c> value, unix seconds.</summary>
    public long Timestamp { get; }

    /// <summary>The decoded <c>v1</c> signatures in header order; null for a value that cannot match.</summary>
    public IReadOnlyList<byte[]?> Signatures { get; }

    /// <summary>Parses <paramref name="header"/>; on failure returns null and says why. Never throws.</summary>
    public static StripeSignatureHeader? TryParse(string? header, out StripeSignatureFailure failure, out string detail)
    {
        failure = default;
        detail = "";
        if (string.IsNullOrWhiteSpace(header))
        {
            return Fail(StripeSignatureFailure.MissingHeader, "the Stripe-Signature header is missing or empty", out failure, out detail);
        }

        if (header.Length > StripeSignatureVerifier.MaxHeaderLength)
        {
            return Fail(
                StripeSignatureFailure.HeaderTooLarge,
                $"the Stripe-Signature header is longer than {StripeSignatureVerifier.MaxHeaderLength} characters",
                out failure,
                out detail);
        }

        long? timestamp = null;
        var signatures = new List<byte[]?>();
        foreach (var range in header.AsSpan().Split(','))
        {
            var item = header.AsSpan()[range].Trim(" \t");
            if (item.IsEmpty)
            {
                continue;
            }

            var equals = item.IndexOf('=');
            if (equals <= 0)
            {
                return Fail(StripeSignatureFailure.MalformedHeader, "every Stripe-Signature item must be key=value", out failure, out detail);
            }

            var key = item[..equals];
            var value = item[(equals + 1)..];
            if (key is "t")
            {
                if (!TryParseTimestamp(value, out var parsed))
                {
                    return Fail(StripeSignatureFailure.MalformedHeader, "t must be unix seconds in decimal digits", out failure, out detail);
                }

                if (timestamp is { } earlier && earlier != parsed)
                {
                    return Fail(StripeSignatureFailure.MalformedHeader, "the header names two different timestamps", out failure, out detail);
                }

                timestamp = parsed;
            }
            else if (key is "v1")
            {
                if (signatures.Count == StripeSignatureVerifier.MaxSignatures)
                {
                    return Fail(
                        StripeSignatureFailure.TooManySignatures,
                        $"the header carries more than {StripeSignatureVerifier.MaxSignatures} v1 signatures",
                        out failure,
                        out detail);
                }

                signatures.Add(DecodeSignature(value));
            }
        }

        if (timestamp is null)
        {
            return Fail(StripeSignatureFailure.MalformedHeader, "the header has no t= timestamp", out failure, out detail);
        }

        if (signatures.Count == 0)
        {
            return Fail(StripeSignatureFailure.NoV1Signature, "the header has no v1 signature (other schemes are not accepted)", out failure, out detail);
        }

        return new StripeSignatureHeader(timestamp.Value, signatures);
    }

    private static bool TryParseTimestamp(ReadOnlySpan<char> value, out long timestamp)
    {
        timestamp = 0;
        return value.Length is > 0 and <= MaxTimestampDigits
            && !value.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp);
    }

    private static byte[]? DecodeSignature(ReadOnlySpan<char> value)
    {
        if (value.Length != SignatureLength * 2 || value.ContainsAnyExcept(LowercaseHex))
        {
            return null;
        }

        return Convert.FromHexString(value);
    }

    private static StripeSignatureHeader? Fail(
        StripeSignatureFailure reason,
        string message,
        out StripeSignatureFailure failure,
        out string detail)
    {
        failure = reason;
        detail = message;
        return null;
    }
}
