namespace Grid.Gateway.Auth;

/// <summary>Who made a request: the operator (admin key), or an account key with its account and highest scope.</summary>
public sealed record GridCaller(bool IsOperator, string? AccountId, ApiScope Scope, string? KeyId)
{
    public static GridCaller Operator { get; } = new(IsOperator: true, AccountId: null, ApiScope.Admin, KeyId: null);

    /// <summary>May this caller act on <paramref name="accountId"/> with <paramref name="scope"/>?</summary>
    public bool May(string accountId, ApiScope scope) => IsOperator || (AccountId == accountId && Scope >= scope);
}
