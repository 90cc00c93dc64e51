using System.Diagnostics.CodeAnalysis;
using Grid.Chain.Crypto;

namespace Grid.Chain.Addresses;

/// <summary>
/// A 20-byte Ethereum account address. Equality is by value, so two spellings of one address (any
/// letter case) are equal; <see cref="ToString"/> gives the EIP-55 checksummed form.
/// </summary>
public sealed class EthereumAddress : IEquatable<EthereumAddress>
{
    /// <summary>Length of an address in bytes.</summary>
    public const int ByteLength = 20;

    private const int HexLength = ByteLength * 2;
    private const string Prefix = "0x";

    private readonly byte[] _bytes;
    private readonly string _checksummed;

    private EthereumAddress(byte[] bytes)
    {
        _bytes = bytes;
        _checksummed = Checksum(bytes);
    }

    /// <summary>The 20 bytes of the address.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>An address from its 20 bytes.</summary>
    public static EthereumAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
        {
            throw new ArgumentException($"An address is {ByteLength} bytes, not {bytes.Length}.", nameof(bytes));
        }

        return new EthereumAddress(bytes.ToArray());
    }

    /// <summary>
    /// The address of an uncompressed secp256k1 public key given as its 64 bytes X || Y (without the
    /// 0x04 prefix): the last 20 bytes of the key's Keccak-256 digest.
    /// </summary>
    public static EthereumAddress FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 64)
        {
            throw new ArgumentException($"An uncompressed public key without prefix is 64 bytes, not {publicKey.Length}.", nameof(publicKey));
        }

        var digest = Keccak256.Hash(publicKey);
        return new EthereumAddress(digest.AsSpan(Keccak256.HashLength - ByteLength).ToArray());
    }

    /// <summary>
    /// Parses "0x" and 40 hex digits. All-lower and all-upper digits are accepted as unchecksummed; mixed
    /// case must be the EIP-55 checksum, since a wrong one means the address was mistyped.
    /// </summary>
    public static EthereumAddress Parse(string text) =>
        TryParse(text, out var address, out var error)
            ? address
            : throw new FormatException($"'{text}' is not an Ethereum address: {Describe(error)}.");

    /// <inheritdoc cref="Parse"/>
    public static bool TryParse(string? text, [NotNullWhen(true)] out EthereumAddress? address, out EthereumAddressError error)
    {
        address = null;
        error = ParseDigits(text, out var bytes);
        if (error != EthereumAddressError.None)
        {
            return false;
        }

        var candidate = new EthereumAddress(bytes!);
        var digits = text!.AsSpan(Prefix.Length);
        if (HasLower(digits) && HasUpper(digits) && !string.Equals(text, candidate._checksummed, StringComparison.Ordinal))
        {
            error = EthereumAddressError.BadChecksum;
            return false;
        }

        address = candidate;
        return true;
    }

    /// <summary>
    /// Parses an address that must be written exactly in its EIP-55 checksummed form (as EIP-4361 asks of
    /// the address in a sign-in message). An all-lower or all-upper spelling is refused as
    /// <see cref="EthereumAddressError.NotChecksummed"/> unless it happens to be the checksummed form.
    /// </summary>
    public static bool TryParseChecksummed(string? text, [NotNullWhen(true)] out EthereumAddress? address, out EthereumAddressError error)
    {
        if (!TryParse(text, out address, out error))
        {
            return false;
        }

        if (!string.Equals(text, address._checksummed, StringComparison.Ordinal))
        {
            address = null;
            error = EthereumAddressError.NotChecksummed;
            return false;
        }

        return true;
    }

    /// <summary>True when <paramref name="text"/> is an address written in its EIP-55 checksummed form.</summary>
    public static bool IsChecksummed(string? text) => TryParseChecksummed(text, out _, out _);

    /// <summary>A short English description of a parse error, for messages.</summary>
    public static string Describe(EthereumAddressError error) => error switch
    {
        EthereumAddressError.None => "valid",
        EthereumAddressError.MissingPrefix => "it must start with \"0x\"",
        EthereumAddressError.WrongLength => $"it must have exactly {HexLength} hex digits after \"0x\"",
        EthereumAddressError.NotHexadecimal => "it must contain only hex digits after \"0x\"",
        EthereumAddressError.BadChecksum => "its mixed-case letters do not match the EIP-55 checksum",
        EthereumAddressError.NotChecksummed => "it must be written in its EIP-55 checksummed form",
        _ => error.ToString(),
    };

    /// <summary>The EIP-55 checksummed form, e.g. 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed.</summary>
    public string ToChecksumString() => _checksummed;

    /// <summary>"0x" and 40 lower-case hex digits, e.g. for storage keys.</summary>
    public string ToLowerHexString() => Prefix + Convert.ToHexStringLower(_bytes);

    /// <summary>The EIP-55 checksummed form.</summary>
    public override string ToString() => _checksummed;

    public bool Equals(EthereumAddress? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as EthereumAddress);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public static bool operator ==(EthereumAddress? left, EthereumAddress? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(EthereumAddress? left, EthereumAddress? right) => !(left == right);

    private static EthereumAddressError ParseDigits(string? text, out byte[]? bytes)
    {
        bytes = null;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return EthereumAddressError.MissingPrefix;
        }

        var digits = text.AsSpan(Prefix.Length);
        if (digits.Length != HexLength)
        {
            return EthereumAddressError.WrongLength;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return EthereumAddressError.NotHexadecimal;
            }
        }

        bytes = Convert.FromHexString(digits);
        return EthereumAddressError.None;
    }

    // EIP-55: hash the lower-case hex digits as ASCII text; a letter is upper case when the matching
    // nibble of that hash is 8 or more.
    private static string Checksum(byte[] bytes)
    {
        var lower = Convert.ToHexStringLower(bytes);
        var hash = Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(lower));
        return string.Create(Prefix.Length + HexLength, (lower, hash), static (span, state) =>
        {
            span[0] = '0';
            span[1] = 'x';
            for (var i = 0; i < HexLength; i++)
            {
                var nibble = (i % 2 == 0 ? state.hash[i / 2] >> 4 : state.hash[i / 2]) & 0x0F;
                var c = state.lower[i];
                span[Prefix.Length + i] = nibble >= 8 ? char.ToUpperInvariant(c) : c;
            }
        });
    }

    private static bool HasLower(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (char.IsAsciiLetterLower(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasUpper(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                return true;
            }
        }

        return false;
    }
}
