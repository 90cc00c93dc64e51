using System.Security.Cryptography;
using System.Text;

namespace Grid.Contracts.Payments;

/// <summary>
/// Payment ids: <c>pay_</c> and 26 base32 characters of SHA-256(account id, operation id). Derived, not drawn,
/// so a retried start with the same operation id reaches the same payment, and so the Stripe idempotency key
/// derived from it makes Stripe return the same session.
/// </summary>
public static class PaymentIds
{
    public const string Prefix = "pay_";
    public const int Length = 30;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string For(string accountId, string operationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(operationId);
        Span<byte> hash = stackalloc byte[32];
        // Length-prefixed, so no two (account, operation) pairs share an input.
        SHA256.HashData(Encoding.UTF8.GetBytes($"{accountId.Length}:{accountId}\n{operationId}"), hash);
        return FromDigest(hash);
    }

    /// <summary>The id spelled from the first 130 bits of <paramref name="digest"/> (at least 17 bytes).</summary>
    public static string FromDigest(ReadOnlySpan<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, 17);
        var id = new StringBuilder(Prefix, Length);
        var bits = 0;
        var buffer = 0;
        foreach (var b in digest)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5 && id.Length < Length)
            {
                bits -= 5;
                id.Append(Alphabet[(buffer >> bits) & 31]);
            }
        }

        return id.ToString();
    }

    public static bool IsValid(string? id) =>
        id is { Length: Length } && id.StartsWith(Prefix, StringComparison.Ordinal) && id.AsSpan(Prefix.Length).IndexOfAnyExcept(Alphabet) < 0;
}
