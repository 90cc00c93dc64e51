using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Grid.Stripe.Webhooks;

/// <summary>
/// Checks that a webhook delivery comes from Stripe: its <c>Stripe-Signature</c> header holds a <c>v1</c>
/// signature that is the HMAC-SHA256, keyed with a configured endpoint secret, of <c>"{t}." + raw body</c>, and
/// its timestamp <c>t</c> lies within the tolerance of now, in either direction.
/// </summary>
/// <remarks>
/// The key is the whole secret string as configured, <c>whsec_</c> prefix included, in UTF-8: that is what Stripe
/// signs with. The body is hashed as the bytes received, never re-serialized. Several secrets may be active at
/// once while one is rolled; each is tried against every <c>v1</c> signature in constant time, without stopping at
/// the first match. Signatures are checked before the timestamp, as Stripe's libraries do, so a refusal for the
/// timestamp means the delivery was genuine but stale (a replay, or a clock that is off). Unlike stripe-node, a
/// timestamp too far in the future is refused as well. Client input never makes <see cref="Verify"/> throw.
/// </remarks>
public sealed class StripeSignatureVerifier
{
    /// <summary>The header Stripe sends its signatures in.</summary>
    public const string HeaderName = "Stripe-Signature";

    /// <summary>The longest header accepted; Stripe's are about a hundred characters per signature.</summary>
    public const int MaxHeaderLength = 8 * 1024;

    /// <summary>The most <c>v1</c> signatures accepted in one header.</summary>
    public const int MaxSignatures = 16;

    private readonly byte[]?[] _keys;
    private readonly bool _hasKey;
    private readonly long _toleranceSeconds;
    private readonly TimeProvider _time;

    /// <param name="secrets">
    /// The endpoint secrets (<c>whsec_…</c>) whose signatures are accepted, in order; blank entries are never used as
    /// keys (an empty HMAC key would let anyone sign) but keep their place, so <see cref="StripeSignatureOutcome.SecretIndex"/>
    /// indexes this list.
    /// </param>
    /// <param name="time">The clock the tolerance is measured on.</param>
    /// <param name="tolerance">How far from now a signed timestamp may be; whole seconds, default <see cref="DefaultTolerance"/>.</param>
    public StripeSignatureVerifier(IEnumerable<string?> secrets, TimeProvider time, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        var window = tolerance ?? DefaultTolerance;
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromSeconds(1), nameof(tolerance));
        _toleranceSeconds = (long)window.TotalSeconds;
        _keys = secrets.Select(secret => string.IsNullOrWhiteSpace(secret) ? null : Encoding.UTF8.GetBytes(secret)).ToArray();
        _hasKey = _keys.Any(key => key is not null);
    }

    /// <summary>Stripe's default tolerance: five minutes.</summary>
    public static TimeSpan DefaultTolerance => TimeSpan.FromSeconds(300);

    /// <summary>Verifies <paramref name="signatureHeader"/> (the <c>Stripe-Signature</c> value, null if absent) against the raw request body.</summary>
    public StripeSignatureOutcome Verify(string? signatureHeader, ReadOnlySpan<byte> rawBody)
    {
        if (!_hasKey)
        {
            return StripeSignatureOutcome.Refused(
                StripeSignatureFailure.NoSecretConfigured,
                "no webhook secret is configured; every delivery is refused");
        }

        var header = StripeSignatureHeader.TryParse(signatureHeader, out var failure, out var detail);
        if (header is null)
        {
            return StripeSignatureOutcome.Refused(failure, detail);
        }

        var matched = MatchSecret(header, rawBody);
        if (matched < 0)
        {
            return StripeSignatureOutcome.Refused(
                StripeSignatureFailure.NoMatchingSignature,
                $"none of the {header.Signatures.Count} v1 signatures matches the body under any configured secret");
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var signedAt = ToDate(header.Timestamp);
        if (Math.Abs(now - header.Timestamp) > _toleranceSeconds)
        {
            return StripeSignatureOutcome.Refused(
                StripeSignatureFailure.TimestampOutsideTolerance,
                $"the signature was made {now - header.Timestamp} s from now, beyond the tolerance of {_toleranceSeconds} s",
                signedAt);
        }

        return StripeSignatureOutcome.Verified(signedAt!.Value, matched);
    }

    // The index of the first secret one of the signatures matches, or -1; every pair is compared, whatever matched.
    private int MatchSecret(StripeSignatureHeader header, ReadOnlySpan<byte> rawBody)
    {
        Span<byte> prefix = stackalloc byte[24];
        // The timestamp as Stripe signs it: the decimal number, whatever leading zeros the header had.
        header.Timestamp.TryFormat(prefix, out var prefixLength, default, CultureInfo.InvariantCulture);
        prefix[prefixLength++] = (byte)'.';
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var matched = -1;
        for (var index = 0; index < _keys.Length; index++)
        {
            if (_keys[index] is not { } key)
            {
                continue;
            }

            using (var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key))
            {
                hmac.AppendData(prefix[..prefixLength]);
                hmac.AppendData(rawBody);
                hmac.GetHashAndReset(expected);
            }

            var any = false;
            foreach (var signature in header.Signatures)
            {
                any |= signature is not null && CryptographicOperations.FixedTimeEquals(expected, signature);
            }

            if (any && matched < 0)
            {
                matched = index;
            }
        }

        return matched;
    }

    private static DateTimeOffset? ToDate(long unixSeconds) =>
        unixSeconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? DateTimeOffset.FromUnixTimeSeconds(unixSeconds) : null;
}
