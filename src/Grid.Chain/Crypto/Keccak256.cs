using Org.BouncyCastle.Crypto.Digests;

namespace Grid.Chain.Crypto;

/// <summary>
/// Ethereum's Keccak-256: the original Keccak submission with its 0x01 padding, which is what Ethereum
/// hashes with. It is not FIPS 202 SHA3-256 (0x06 padding), so .NET's SHA3_256 gives different digests.
/// </summary>
public static class Keccak256
{
    /// <summary>Length of a digest in bytes.</summary>
    public const int HashLength = 32;

    /// <summary>The Keccak-256 digest of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new byte[HashLength];
        Hash(data, digest);
        return digest;
    }

    /// <summary>Writes the Keccak-256 digest of <paramref name="data"/> into <paramref name="destination"/> (32 bytes or more).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < HashLength)
        {
            throw new ArgumentException($"The destination must hold {HashLength} bytes.", nameof(destination));
        }

        // A digest keeps state, so each call takes its own; this BouncyCastle has no span overloads.
        var keccak = new KeccakDigest(HashLength * 8);
        var input = data.ToArray();
        keccak.BlockUpdate(input, 0, input.Length);
        var output = new byte[HashLength];
        keccak.DoFinal(output, 0);
        output.CopyTo(destination);
    }
}
