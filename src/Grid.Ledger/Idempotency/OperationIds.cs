using System.Buffers;
using Grid.Ledger.Errors;

namespace Grid.Ledger.Idempotency;

/// <summary>Operation ids chosen by callers: 1..128 characters of [A-Za-z0-9_.:-] (API.md).</summary>
public static class OperationIds
{
    public const int MaxLength = 128;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-");

    /// <summary>
    /// Prefix of ids the ledger makes itself (opening, expiries). '~' is outside the callers' alphabet,
    /// so a caller can never collide with one.
    /// </summary>
    public const string SystemPrefix = "~";

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && !id.AsSpan().ContainsAnyExcept(Allowed);

    public static void Require(string? id, string field)
    {
        if (!IsValid(id))
        {
            throw LedgerException.Invalid(field, $"{field} must be 1 to {MaxLength} characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'.");
        }
    }

    public static string ForOpen() => SystemPrefix + "open";

    public static string ForExpiry(string holdId) => SystemPrefix + "expire:" + holdId;
}
