namespace Grid.Gateway.Auth;

/// <summary>
/// Who made a request: the operator (admin key), or a credential bound to one account with its highest scope.
/// <see cref="CredentialId"/> is the public id of the key or token (never its secret), for logs and limits.
/// </summary>
public sealed record GridCaller(CallerKind Kind, string? AccountId, ApiScope Scope, string? CredentialId)
{
    public static GridCaller Operator { get; } = new(CallerKind.Operator, AccountId: null, ApiScope.Admin, CredentialId: null);

    public bool IsOperator => Kind == CallerKind.Operator;

    /// <summary>A token an app server handed to its end user (a guest token or a wallet session): it may spend, not settle.</summary>
    public bool IsEndUser => Kind is CallerKind.GuestToken or CallerKind.WalletSession;

    /// <summary>May this caller act on <paramref name="accountId"/> with <paramref name="scope"/>?</summary>
    public bool May(string accountId, ApiScope scope) => IsOperator || (AccountId == accountId && Scope >= scope);
}
