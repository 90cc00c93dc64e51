using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Grid.Gateway.Auth;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Payments;

/// <summary>
/// The claim of an on-chain intent: what its asker shows to pick up the guest token once the wallet's payment is
/// credited. A payment id cannot serve: a contract deposit carries it on chain as its <c>ref</c>, for anyone to read.
/// The claim is an HMAC of the payment id under a key derived from Grid:Auth:TokenSecret, so the same request answers
/// the same claim (idempotency) and nothing needs storing; it is checked in constant time.
/// </summary>
internal sealed class PaymentClaims
{
    public const string Header = "X-Payment-Claim";

    private const string Prefix = "pc_";
    private const int DigestBytes = 32;

    private readonly byte[]? _key;

    public PaymentClaims(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = options.Value.DeriveKey("grid payment claims"u8);
    }

    public bool IsConfigured => _key is not null;

    public string For(string paymentId) => Prefix + Base64Url.EncodeToString(Digest(paymentId));

    /// <summary>Whether <paramref name="claim"/> is <paramref name="paymentId"/>'s claim; false for anything malformed.</summary>
    public bool Matches(string paymentId, string claim)
    {
        if (!claim.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[DigestBytes];
        var text = claim.AsSpan(Prefix.Length);
        if (text.Length != Base64Url.GetEncodedLength(DigestBytes)
            || Base64Url.DecodeFromChars(text, given, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != DigestBytes)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Digest(paymentId));
    }

    private byte[] Digest(string paymentId)
    {
        var key = _key ?? throw new InvalidOperationException("No token secret is configured (Grid:Auth:TokenSecret).");
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(paymentId));
    }
}
