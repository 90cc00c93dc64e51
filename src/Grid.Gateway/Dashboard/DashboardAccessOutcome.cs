namespace Grid.Gateway.Dashboard;

/// <summary>What <see cref="DashboardAccess"/> decided about a request.</summary>
public enum DashboardAccessOutcome
{
    /// <summary>The admin key as a bearer token, or a valid sign-in cookie.</summary>
    Allowed = 1,

    /// <summary>No credential, or one that does not verify.</summary>
    Unauthorized,

    /// <summary>A valid credential that is not the operator's (an account key or token).</summary>
    Forbidden,

    /// <summary>Too many wrong keys came from this address lately.</summary>
    Throttled,
}
