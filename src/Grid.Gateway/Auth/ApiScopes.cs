namespace Grid.Gateway.Auth;

/// <summary>Scope names on the wire and in storage: "read", "charge", "admin".</summary>
public static class ApiScopes
{
    public static string Name(ApiScope scope) => scope switch
    {
        ApiScope.Read => "read",
        ApiScope.Charge => "charge",
        ApiScope.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown scope."),
    };

    public static bool TryParse(string? name, out ApiScope scope)
    {
        scope = name switch
        {
            "read" => ApiScope.Read,
            "charge" => ApiScope.Charge,
            "admin" => ApiScope.Admin,
            _ => 0,
        };
        return scope != 0;
    }

    /// <summary>The highest of the scopes stored space-separated (each includes those below it).</summary>
    public static ApiScope Highest(string stored) =>
        stored.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => TryParse(n, out var s) ? s : 0).DefaultIfEmpty().Max();
}
