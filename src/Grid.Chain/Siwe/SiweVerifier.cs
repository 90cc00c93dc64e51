using System.Buffers;
using System.Text;
using Grid.Chain.Signing;

namespace Grid.Chain.Siwe;

/// <summary>
/// Verifies a Sign-In with Ethereum request: the message text and the wallet's personal_sign signature
/// over it. Checks, in order: the message parses; its domain (and scheme, if written) is ours; its URI is on
/// our origin; its chain id is allowed; it was not issued in the future, has not expired and is past its
/// not-before time (each within the allowed clock skew); the signature recovers to the message's address;
/// and last, its nonce is consumed.
/// </summary>
/// <remarks>
/// The nonce is consumed only once everything else holds. A nonce is a single-use ticket the client
/// fetched for this sign-in; burning it on a request that fails anyway would let whoever sees a nonce
/// spoil it with any broken message, and would make a user who picked the wrong chain in their wallet
/// start over from a new nonce. Consuming last is still replay-safe: consumption is atomic, so of two
/// submissions of one valid message only the first succeeds. Only an EOA's own signature is accepted
/// (no EIP-1271 contract wallets: those need a chain call).
/// </remarks>
public sealed class SiweVerifier
{
    private const int SignatureHexLength = Secp256k1Recovery.SignatureLength * 2;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private readonly ISiweNonceStore _nonces;
    private readonly TimeProvider _time;

    public SiweVerifier(ISiweNonceStore nonces, TimeProvider time)
    {
        _nonces = nonces ?? throw new ArgumentNullException(nameof(nonces));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>
    /// Verifies <paramref name="messageText"/> and its <paramref name="signatureHex"/> (65 bytes r || s || v
    /// as hex, with or without "0x") against <paramref name="expectations"/>. Bad input is a failed result,
    /// never an exception; an invalid <paramref name="expectations"/> throws, being a configuration error.
    /// </summary>
    public async ValueTask<SiweVerificationResult> VerifyAsync(
        string? messageText,
        string? signatureHex,
        SiweExpectations expectations,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectations);
        expectations.Validate();

        if (!SiweMessage.TryParse(messageText, out var message, out var parseError))
        {
            return SiweVerificationResult.Failed(SiweFailureReason.Malformed, parseError.Field, parseError.ToString());
        }

        var refusal = CheckBinding(message, expectations) ?? CheckTimes(message, expectations);
        if (refusal is not null)
        {
            return SiweVerificationResult.Failed(refusal);
        }

        if (!TryDecodeSignature(signatureHex, out var signature))
        {
            return SiweVerificationResult.Failed(
                SiweFailureReason.Malformed,
                SiweField.Signature,
                $"the signature must be {Secp256k1Recovery.SignatureLength} bytes as {SignatureHexLength} hex digits, optionally after \"0x\"");
        }

        // The signature covers the text as received; ToText gives the same text, but there is no need to rely on it.
        var digest = PersonalMessage.Hash(Encoding.UTF8.GetBytes(messageText!));
        if (!Secp256k1Recovery.TryRecoverAddress(digest, signature, out var signer, out var recoveryError))
        {
            return SiweVerificationResult.Failed(SiweFailureReason.BadSignature, SiweField.Signature, Describe(recoveryError));
        }

        if (signer != message.Address)
        {
            return SiweVerificationResult.Failed(SiweFailureReason.BadSignature, SiweField.Signature, "the signature is not by the message's address");
        }

        if (!await _nonces.TryConsumeAsync(message.Nonce, cancellationToken))
        {
            return SiweVerificationResult.Failed(SiweFailureReason.NonceInvalid, SiweField.Nonce, "the nonce is unknown, expired or already used");
        }

        return SiweVerificationResult.Success(new SiweSignIn(message.Address, message.ChainId, message.ExpirationTime?.Value, message));
    }

    private static SiweFailure? CheckBinding(SiweMessage message, SiweExpectations expectations)
    {
        if (message.Scheme is not null && !string.Equals(message.Scheme, expectations.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return new SiweFailure(SiweFailureReason.DomainMismatch, SiweField.Scheme, $"the message is for scheme '{message.Scheme}', not '{expectations.Scheme}'");
        }

        if (!string.Equals(message.Domain, expectations.Domain, StringComparison.OrdinalIgnoreCase))
        {
            return new SiweFailure(SiweFailureReason.DomainMismatch, SiweField.Domain, $"the message is for domain '{message.Domain}', not '{expectations.Domain}'");
        }

        if (!IsSameOrigin(message.Uri, expectations.Uri))
        {
            return new SiweFailure(SiweFailureReason.UriMismatch, SiweField.Uri, $"the message's URI '{message.Uri}' is not on {expectations.Uri.GetLeftPart(UriPartial.Authority)}");
        }

        if (!expectations.ChainIds.Contains(message.ChainId))
        {
            return new SiweFailure(SiweFailureReason.ChainNotAllowed, SiweField.ChainId, $"chain id {message.ChainId} is not accepted here");
        }

        return null;
    }

    private SiweFailure? CheckTimes(SiweMessage message, SiweExpectations expectations)
    {
        var now = _time.GetUtcNow();
        var skew = expectations.AllowedClockSkew;
        if (message.IssuedAt.Value > now + skew)
        {
            return new SiweFailure(SiweFailureReason.IssuedInFuture, SiweField.IssuedAt, $"the message says it was issued at {message.IssuedAt.Text}, which is in the future");
        }

        // Valid while now < expiration time; the skew gives a wallet whose clock runs ahead its due.
        if (message.ExpirationTime is { } expiration && now - skew >= expiration.Value)
        {
            return new SiweFailure(SiweFailureReason.Expired, SiweField.ExpirationTime, $"the message expired at {expiration.Text}");
        }

        if (message.NotBefore is { } notBefore && now + skew < notBefore.Value)
        {
            return new SiweFailure(SiweFailureReason.NotYetValid, SiweField.NotBefore, $"the message is not valid before {notBefore.Text}");
        }

        return null;
    }

    // Same scheme, host and port (default ports filled in), and the same user info, if any.
    private static bool IsSameOrigin(string messageUri, Uri expected)
    {
        if (!Uri.TryCreate(messageUri, UriKind.Absolute, out var actual))
        {
            return false;
        }

        return string.Equals(actual.Scheme, expected.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(actual.IdnHost, expected.IdnHost, StringComparison.OrdinalIgnoreCase)
            && actual.Port == expected.Port
            && string.Equals(actual.UserInfo, expected.UserInfo, StringComparison.Ordinal);
    }

    private static bool TryDecodeSignature(string? hex, out byte[] signature)
    {
        signature = [];
        if (hex is null)
        {
            return false;
        }

        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.AsSpan(2) : hex.AsSpan();
        if (digits.Length != SignatureHexLength || digits.ContainsAnyExcept(HexDigits))
        {
            return false;
        }

        signature = Convert.FromHexString(digits);
        return true;
    }

    private static string Describe(SignatureRecoveryError error) => error switch
    {
        SignatureRecoveryError.InvalidRecoveryId => "v must be 27, 28, 0 or 1",
        SignatureRecoveryError.InvalidR => "r must be between 1 and the curve order",
        SignatureRecoveryError.InvalidS => "s must be between 1 and the curve order",
        SignatureRecoveryError.HighS => "s is in the upper half of the curve order (EIP-2 allows only the lower one)",
        SignatureRecoveryError.NoPublicKey => "the signature recovers no public key",
        _ => $"the signature is invalid ({error})",
    };
}
