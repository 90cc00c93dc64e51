namespace Grid.Gateway.Auth;

/// <summary>
/// End users' operation ids (and cast ids) are a namespace of their own, <c>u:</c>, that no other caller may use. An
/// account's ids are one space shared by everything that writes to it: a player whose token could take any id could
/// take the one its server is about to capture a hold under (read from the journal's pattern), and the server's
/// capture would then be a conflict, its work unpaid. With the namespace a player can only ever take a player's id.
/// </summary>
public static class EndUserOperationIds
{
    public const string Prefix = "u:";

    /// <summary>Why <paramref name="caller"/> may not use <paramref name="operationId"/>, or null when it may.</summary>
    public static string? Problem(GridCaller? caller, string? operationId)
    {
        if (caller is null || string.IsNullOrEmpty(operationId))
        {
            return null;
        }

        var endUsers = operationId.StartsWith(Prefix, StringComparison.Ordinal);
        return caller.IsEndUser == endUsers ? null
            : caller.IsEndUser ? $"A guest or wallet token's operation ids start with '{Prefix}' (a namespace of end users' own, so one can never take an id its server will use)."
            : $"Operation ids starting with '{Prefix}' are end users' own (their guest and wallet tokens use them).";
    }
}
