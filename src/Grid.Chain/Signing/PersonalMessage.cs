using System.Globalization;
using System.Text;
using Grid.Chain.Crypto;

namespace Grid.Chain.Signing;

/// <summary>
/// EIP-191 version 0x45 ("personal_sign"): wallets sign the Keccak-256 of
/// "\x19Ethereum Signed Message:\n" + the message's length in bytes (decimal) + the message, so a
/// signed text can never be mistaken for a signed transaction.
/// </summary>
public static class PersonalMessage
{
    private const string Prefix = "\u0019Ethereum Signed Message:\n";

    /// <summary>The digest a wallet signs for <paramref name="message"/>, taken as UTF-8 text.</summary>
    public static byte[] Hash(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Hash(Encoding.UTF8.GetBytes(message));
    }

    /// <summary>The digest a wallet signs for the raw bytes <paramref name="message"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> message)
    {
        var header = Encoding.ASCII.GetBytes(Prefix + message.Length.ToString(CultureInfo.InvariantCulture));
        var framed = new byte[header.Length + message.Length];
        header.CopyTo(framed, 0);
        message.CopyTo(framed.AsSpan(header.Length));
        return Keccak256.Hash(framed);
    }
}
