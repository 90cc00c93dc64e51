namespace Grid.Gateway.Auth;

/// <summary>
/// What an account key may do on its own account. Each scope includes the ones before it: <c>admin</c> also
/// charges and reads, <c>charge</c> also reads. Creating credits (deposits, adjustments), opening accounts and
/// managing keys are the operator's (the configured admin key), whatever an account key's scopes.
/// </summary>
public enum ApiScope
{
    Read = 1,
    Charge = 2,
    Admin = 3,
}
