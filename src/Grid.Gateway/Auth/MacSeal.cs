using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Grid.Gateway.Auth;

/// <summary>
/// Bytes sealed for a round trip through a client: <c>base64url(payload).base64url(mac)</c>, the MAC an HMAC-SHA256 of
/// the encoded payload under the caller's key (each use derives its own). Opening checks the MAC, in constant time,
/// before a byte of the payload is decoded.
/// </summary>
internal sealed class MacSeal(byte[] key)
{
    private const int MacBytes = 32;

    public string Seal(ReadOnlySpan<byte> payload)
    {
        var encoded = Base64Url.EncodeToString(payload);
        var mac = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(encoded));
        return $"{encoded}.{Base64Url.EncodeToString(mac)}";
    }

    /// <summary>The payload of what <see cref="Seal"/> made under this key; null for anything else.</summary>
    public byte[]? Open(ReadOnlySpan<char> sealedText)
    {
        var dot = sealedText.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        var encoded = sealedText[..dot];
        var macText = sealedText[(dot + 1)..];
        Span<byte> presented = stackalloc byte[MacBytes];
        if (Base64Url.DecodeFromChars(macText, presented, out var consumed, out var written) != OperationStatus.Done
            || written != MacBytes || consumed != macText.Length || !Ascii.IsValid(encoded))
        {
            return null;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(encoded.ToString()), expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented) && Base64Url.IsValid(encoded)
            ? Base64Url.DecodeFromChars(encoded)
            : null;
    }
}
