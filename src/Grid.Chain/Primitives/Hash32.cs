using System.Diagnostics.CodeAnalysis;

namespace Grid.Chain.Primitives;

/// <summary>
/// A 32-byte value as JSON-RPC writes block hashes, transaction hashes and log topics. Equality is by value;
/// <see cref="ToString"/> gives "0x" and 64 lower-case hex digits.
/// </summary>
public sealed class Hash32 : IEquatable<Hash32>
{
    /// <summary>Length of the value in bytes.</summary>
    public const int ByteLength = 32;

    private const int HexLength = ByteLength * 2;

    private readonly byte[] _bytes;

    private Hash32(byte[] bytes) => _bytes = bytes;

    /// <summary>32 zero bytes (e.g. the parent hash of a genesis block).</summary>
    public static Hash32 Zero { get; } = new(new byte[ByteLength]);

    /// <summary>The 32 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>A value from exactly 32 bytes.</summary>
    public static Hash32 FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
        {
            throw new ArgumentException($"A 32-byte hash is {ByteLength} bytes, not {bytes.Length}.", nameof(bytes));
        }

        return new Hash32(bytes.ToArray());
    }

    /// <summary>Parses "0x" and 64 hex digits in any letter case.</summary>
    public static Hash32 Parse(string hex) =>
        TryParse(hex, out var hash, out var problem)
            ? hash
            : throw new FormatException($"'{hex}' is not a 32-byte hash: {problem}.");

    /// <inheritdoc cref="Parse"/>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Hash32? hash) => TryParse(text, out hash, out _);

    public override string ToString() => "0x" + Convert.ToHexStringLower(_bytes);

    public bool Equals(Hash32? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Hash32);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public static bool operator ==(Hash32? left, Hash32? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Hash32? left, Hash32? right) => !(left == right);

    private static bool TryParse(string? text, [NotNullWhen(true)] out Hash32? hash, out string problem)
    {
        hash = null;
        if (text is null || !text.StartsWith("0x", StringComparison.Ordinal))
        {
            problem = "it must start with \"0x\"";
            return false;
        }

        var digits = text.AsSpan(2);
        if (digits.Length != HexLength)
        {
            problem = $"it must have exactly {HexLength} hex digits after \"0x\", not {digits.Length}";
            return false;
        }

        if (!HexDigits.AreAll(digits))
        {
            problem = "it must contain only hex digits after \"0x\"";
            return false;
        }

        problem = "";
        hash = new Hash32(Convert.FromHexString(digits));
        return true;
    }
}
