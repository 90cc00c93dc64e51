using System.Security.Cryptography;
using Grid.Ledger.Idempotency;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Accounts;

/// <summary>Account ids follow the operation id grammar: 1..128 characters of [A-Za-z0-9_.:-].</summary>
internal static class AccountIds
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford's base32, lower case
    private const int RandomLength = 26; // 130 bits

    public static bool IsValid(string? id) => OperationIds.IsValid(id);

    /// <summary>400 naming <c>id</c> when the account id in a route's path is malformed; null when it is fine.</summary>
    public static IResult? PathProblem(string id) =>
        IsValid(id)
            ? null
            : LedgerProblems.Validation("id", "The account id in the path must be 1 to 128 characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'.");

    /// <summary>A new id, <c>acc_</c> and 26 random characters.</summary>
    public static string New() => "acc_" + RandomNumberGenerator.GetString(Alphabet, RandomLength);
}
