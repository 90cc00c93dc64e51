namespace Grid.Gateway.Auth;

/// <summary>Requirements routes share.</summary>
internal static class AccessRequirements
{
    /// <summary>The admin key alone: what a route without a requirement of its own asks.</summary>
    public static AccessRequirement OperatorOnly { get; } = new(ApiScope.Admin, OperatorOnly: true);

    /// <summary>Settling: <c>charge</c> on the account, held by a server's credential (see <see cref="AccessRequirement.Settles"/>).</summary>
    public static AccessRequirement Settler { get; } = new(ApiScope.Charge, OperatorOnly: false, Settles: true);
}
