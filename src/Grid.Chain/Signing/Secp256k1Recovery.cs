using System.Diagnostics.CodeAnalysis;
using Grid.Chain.Addresses;
using Grid.Chain.Crypto;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Grid.Chain.Signing;

/// <summary>
/// Public key recovery from an Ethereum signature (SEC 1 v2, 4.1.6), the way ecrecover and
/// personal_sign verifiers work: a signature carries no key, so the signer's address is the one whose key
/// the (r, s, v) triple recovers. Every malformed input is a typed <see cref="SignatureRecoveryError"/>.
/// </summary>
public static class Secp256k1Recovery
{
    /// <summary>Length of a signature: r (32 bytes), s (32 bytes), v (1 byte).</summary>
    public const int SignatureLength = 65;

    /// <summary>Length of a recovered public key: X || Y, 32 bytes each, without the 0x04 prefix.</summary>
    public const int PublicKeyLength = 64;

    private const int ScalarLength = 32;

    // Immutable curve constants, shared read-only.
    private static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly BigInteger HalfOrder = Curve.N.ShiftRight(1);

    /// <summary>
    /// Recovers the public key that made <paramref name="signature"/> over the 32-byte <paramref name="digest"/>.
    /// v may be 27/28 (as wallets send it) or 0/1 (the bare recovery id). s must be in the lower half of
    /// the curve order (EIP-2): its twin n - s verifies the same digest, and accepting both would let
    /// anyone turn one signature into a second, different-looking one.
    /// </summary>
    public static bool TryRecoverPublicKey(
        ReadOnlySpan<byte> digest,
        ReadOnlySpan<byte> signature,
        [NotNullWhen(true)] out byte[]? publicKey,
        out SignatureRecoveryError error)
    {
        publicKey = null;
        if (digest.Length != Keccak256.HashLength)
        {
            throw new ArgumentException($"The digest must be {Keccak256.HashLength} bytes, not {digest.Length}.", nameof(digest));
        }

        error = Validate(signature, out var r, out var s, out var yIsOdd);
        if (error != SignatureRecoveryError.None)
        {
            return false;
        }

        try
        {
            var point = Recover(digest, r!, s!, yIsOdd);
            if (point is null)
            {
                error = SignatureRecoveryError.NoPublicKey;
                return false;
            }

            publicKey = new byte[PublicKeyLength];
            point.AffineXCoord.GetEncoded().CopyTo(publicKey, 0);
            point.AffineYCoord.GetEncoded().CopyTo(publicKey, ScalarLength);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or ArithmeticException)
        {
            // The checks above leave nothing for the curve arithmetic to refuse; this keeps it so if they miss a case.
            error = SignatureRecoveryError.NoPublicKey;
            return false;
        }
    }

    /// <summary>Recovers the address of the key that made <paramref name="signature"/> over <paramref name="digest"/>.</summary>
    public static bool TryRecoverAddress(
        ReadOnlySpan<byte> digest,
        ReadOnlySpan<byte> signature,
        [NotNullWhen(true)] out EthereumAddress? address,
        out SignatureRecoveryError error)
    {
        address = null;
        if (!TryRecoverPublicKey(digest, signature, out var publicKey, out error))
        {
            return false;
        }

        address = EthereumAddress.FromPublicKey(publicKey);
        return true;
    }

    private static SignatureRecoveryError Validate(ReadOnlySpan<byte> signature, out BigInteger? r, out BigInteger? s, out bool yIsOdd)
    {
        r = null;
        s = null;
        yIsOdd = false;
        if (signature.Length != SignatureLength)
        {
            return SignatureRecoveryError.WrongLength;
        }

        // Only ids 0 and 1 (R.x = r): ids 2 and 3 (R.x = r + n) need r < p - n, about 2^-128 likely, and
        // personal_sign's v of 27/28 cannot express them anyway.
        var v = signature[64];
        switch (v)
        {
            case 0 or 27:
                yIsOdd = false;
                break;
            case 1 or 28:
                yIsOdd = true;
                break;
            default:
                return SignatureRecoveryError.InvalidRecoveryId;
        }

        var rValue = new BigInteger(1, signature[..ScalarLength].ToArray());
        if (rValue.SignValue == 0 || rValue.CompareTo(Curve.N) >= 0)
        {
            return SignatureRecoveryError.InvalidR;
        }

        var sValue = new BigInteger(1, signature.Slice(ScalarLength, ScalarLength).ToArray());
        if (sValue.SignValue == 0 || sValue.CompareTo(Curve.N) >= 0)
        {
            return SignatureRecoveryError.InvalidS;
        }

        if (sValue.CompareTo(HalfOrder) > 0)
        {
            return SignatureRecoveryError.HighS;
        }

        r = rValue;
        s = sValue;
        return SignatureRecoveryError.None;
    }

    // Q = r^-1 (s R - e G), where R is the curve point with x = r and the y parity v names.
    private static ECPoint? Recover(ReadOnlySpan<byte> digest, BigInteger r, BigInteger s, bool yIsOdd)
    {
        var curve = Curve.Curve;
        var n = Curve.N;

        // y^2 = x^3 + 7; no square root means r is no point's x coordinate.
        var x = curve.FromBigInteger(r);
        var y = x.Square().Multiply(x).Add(curve.B).Sqrt();
        if (y is null)
        {
            return null;
        }

        if (y.TestBitZero() != yIsOdd)
        {
            y = y.Negate();
        }

        var bigR = curve.CreatePoint(x.ToBigInteger(), y.ToBigInteger());
        var e = new BigInteger(1, digest.ToArray());
        var rInverse = r.ModInverse(n);
        var u1 = rInverse.Multiply(e).Negate().Mod(n);
        var u2 = rInverse.Multiply(s).Mod(n);
        var q = ECAlgorithms.SumOfTwoMultiplies(Curve.G, u1, bigR, u2).Normalize();
        return q.IsInfinity ? null : q;
    }
}
