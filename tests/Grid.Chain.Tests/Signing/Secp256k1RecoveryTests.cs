using System.Numerics;
using Grid.Chain.Addresses;
using Grid.Chain.Signing;
using Grid.Chain.Tests.Support;
using Xunit;

namespace Grid.Chain.Tests.Signing;

public sealed class Secp256k1RecoveryTests(EthVectorsFixture oracle) : IClassFixture<EthVectorsFixture>
{
    private static readonly BigInteger N = Hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
    private static readonly BigInteger Gx = Hex("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798");

    [Fact]
    public void Recovers_the_address_ethers_verifyMessage_recovers()
    {
        Assert.Equal(EthVectors.Count, oracle.Vectors.Recovery.Count);
        foreach (var vector in oracle.Vectors.Recovery)
        {
            var signature = Convert.FromHexString(vector.Signature.AsSpan(2));
            var digest = PersonalMessage.Hash(vector.Message);

            Assert.True(Secp256k1Recovery.TryRecoverAddress(digest, signature, out var address, out var error), $"{error} for {vector.Signature}");
            Assert.Equal(vector.Address, address.ToChecksumString());

            Assert.True(Secp256k1Recovery.TryRecoverPublicKey(digest, signature, out var publicKey, out _));
            Assert.Equal(address, EthereumAddress.FromPublicKey(publicKey));
        }
    }

    [Fact]
    public void A_v_of_0_or_1_recovers_like_27_or_28()
    {
        foreach (var vector in oracle.Vectors.Recovery.Take(20))
        {
            var signature = Convert.FromHexString(vector.Signature.AsSpan(2));
            signature[64] -= 27;
            Assert.True(Secp256k1Recovery.TryRecoverAddress(PersonalMessage.Hash(vector.Message), signature, out var address, out _));
            Assert.Equal(vector.Address, address.ToString());
        }
    }

    [Fact]
    public void The_other_v_or_another_digest_recovers_another_address()
    {
        var vector = oracle.Vectors.Recovery[0];
        var signature = Convert.FromHexString(vector.Signature.AsSpan(2));
        var digest = PersonalMessage.Hash(vector.Message);

        signature[64] = (byte)(signature[64] == 27 ? 28 : 27);
        if (Secp256k1Recovery.TryRecoverAddress(digest, signature, out var flipped, out _))
        {
            Assert.NotEqual(vector.Address, flipped.ToString());
        }

        signature[64] = (byte)(signature[64] == 27 ? 28 : 27);
        Assert.True(Secp256k1Recovery.TryRecoverAddress(PersonalMessage.Hash(vector.Message + "."), signature, out var other, out _));
        Assert.NotEqual(vector.Address, other.ToString());
    }

    [Fact]
    public void The_high_s_twin_of_a_valid_signature_is_refused_as_high_s()
    {
        foreach (var vector in oracle.Vectors.Recovery.Take(20))
        {
            var signature = Convert.FromHexString(vector.Signature.AsSpan(2));
            var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
            Write(N - s, signature.AsSpan(32, 32));
            signature[64] = (byte)(signature[64] == 27 ? 28 : 27);

            Assert.False(Secp256k1Recovery.TryRecoverAddress(PersonalMessage.Hash(vector.Message), signature, out var address, out var error));
            Assert.Null(address);
            Assert.Equal(SignatureRecoveryError.HighS, error);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    [InlineData(66)]
    [InlineData(130)]
    public void A_signature_of_the_wrong_length_is_refused(int length)
    {
        Assert.False(Secp256k1Recovery.TryRecoverPublicKey(new byte[32], new byte[length], out _, out var error));
        Assert.Equal(SignatureRecoveryError.WrongLength, error);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(26)]
    [InlineData(29)]
    [InlineData(37)]
    [InlineData(255)]
    public void A_v_other_than_27_28_0_1_is_refused(byte v)
    {
        var signature = ValidLooking();
        signature[64] = v;
        Assert.False(Secp256k1Recovery.TryRecoverPublicKey(new byte[32], signature, out _, out var error));
        Assert.Equal(SignatureRecoveryError.InvalidRecoveryId, error);
    }

    [Fact]
    public void R_or_s_of_zero_or_at_least_the_order_is_refused()
    {
        Assert.Equal(SignatureRecoveryError.InvalidR, Recover(ValidLooking(r: BigInteger.Zero)));
        Assert.Equal(SignatureRecoveryError.InvalidR, Recover(ValidLooking(r: N)));
        Assert.Equal(SignatureRecoveryError.InvalidR, Recover(ValidLooking(r: (BigInteger.One << 256) - 1)));
        Assert.Equal(SignatureRecoveryError.InvalidS, Recover(ValidLooking(s: BigInteger.Zero)));
        Assert.Equal(SignatureRecoveryError.InvalidS, Recover(ValidLooking(s: N)));
        Assert.Equal(SignatureRecoveryError.HighS, Recover(ValidLooking(s: N - 1)));
        Assert.Equal(SignatureRecoveryError.HighS, Recover(ValidLooking(s: (N / 2) + 1)));
        Assert.Equal(SignatureRecoveryError.None, Recover(ValidLooking(s: N / 2)));
    }

    [Fact]
    public void An_r_that_is_no_points_x_coordinate_recovers_nothing()
    {
        // About half of all x have no y with y^2 = x^3 + 7; some small r is bound to be one.
        var found = 0;
        for (var r = 1; r <= 40; r++)
        {
            if (Recover(ValidLooking(r: r)) == SignatureRecoveryError.NoPublicKey)
            {
                found++;
            }
        }

        Assert.InRange(found, 5, 35);
    }

    [Fact]
    public void Random_bytes_give_a_key_or_a_typed_error_never_an_exception()
    {
        var random = new Random(20260101);
        var signature = new byte[65];
        var digest = new byte[32];
        var recovered = 0;
        for (var i = 0; i < 500; i++)
        {
            random.NextBytes(signature);
            random.NextBytes(digest);
            if (i % 2 == 0)
            {
                signature[64] = (byte)(27 + (i % 4 / 2));
                signature[32] &= 0x7F; // keep s low half of the time so recovery itself runs
            }

            if (Secp256k1Recovery.TryRecoverPublicKey(digest, signature, out var key, out var error))
            {
                recovered++;
                Assert.Equal(64, key.Length);
            }
            else
            {
                Assert.NotEqual(SignatureRecoveryError.None, error);
            }
        }

        Assert.True(recovered > 50, $"only {recovered} random signatures recovered a key");
    }

    [Fact]
    public void A_digest_that_is_not_32_bytes_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Secp256k1Recovery.TryRecoverPublicKey(new byte[31], ValidLooking(), out _, out _));
    }

    private static SignatureRecoveryError Recover(byte[] signature)
    {
        Secp256k1Recovery.TryRecoverPublicKey(new byte[32], signature, out _, out var error);
        return error;
    }

    // A signature with r and s in range; the default r is the generator's x, which is sure to be a point's.
    private static byte[] ValidLooking(BigInteger? r = null, BigInteger? s = null)
    {
        var signature = new byte[65];
        Write(r ?? Gx, signature.AsSpan(0, 32));
        Write(s ?? 7, signature.AsSpan(32, 32));
        signature[64] = 27;
        return signature;
    }

    private static BigInteger Hex(string digits) => new(Convert.FromHexString(digits), isUnsigned: true, isBigEndian: true);

    private static void Write(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(destination[(32 - bytes.Length)..]);
    }
}
