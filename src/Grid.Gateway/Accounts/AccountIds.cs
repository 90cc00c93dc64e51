using System.Security.Cryptography;
using Grid.Ledger.Idempotency;

namespace Grid.Gateway.Accounts;

/// <summary>Account ids follow the operation id grammar: 1..128 characters of [A-Za-z0-9_.:-].</summary>
internal static class AccountIds
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford's base32, lower case
    private const int RandomLength = 26; // 130 bits

    public static bool IsValid(string? id) => OperationIds.IsValid(id);

    /// <summary>A new id, <c>acc_</c> and 26 random characters.</summary>
    public static string New() => "acc_" + RandomNumberGenerator.GetString(Alphabet, RandomLength);
}
