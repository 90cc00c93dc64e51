using Grid.Contracts.Payments;
using Grid.Ledger.Idempotency;

namespace Grid.Contracts.Sessions;

/// <summary>
/// The ledger operation ids a session uses: its hold, and each checkpoint's capture and payouts. All start with
/// <see cref="RailOperationIds.SessionPrefix"/>, which callers may not use.
/// </summary>
public static class SessionIds
{
    /// <summary>
    /// The longest session id: the longest derived id (<c>session:{id}:cp:{n}:treasury</c>) must still fit the
    /// operation id grammar's <see cref="OperationIds.MaxLength"/> characters.
    /// </summary>
    public const int MaxLength = 80;

    public static bool IsValid(string? id) => OperationIds.IsValid(id) && id!.Length <= MaxLength;

    public static string Hold(string sessionId) => $"{RailOperationIds.SessionPrefix}{sessionId}:hold";

    /// <summary>A leg of checkpoint <paramref name="number"/> (1, 2, ...); the end's checkpoint has number 0.</summary>
    public static string Leg(string sessionId, int number, string leg) =>
        number == 0
            ? $"{RailOperationIds.SessionPrefix}{sessionId}:end:{leg}"
            : $"{RailOperationIds.SessionPrefix}{sessionId}:cp:{number}:{leg}";
}
