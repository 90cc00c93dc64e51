using Grid.Gateway.Auth;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Dashboard;

/// <summary>
/// Who may see the dashboard: the operator, by the admin key as a bearer token (scripts, tests) or by the signed
/// session cookie a sign-in sets (browsers). A valid account key or token is refused (403); a bearer token that
/// does not verify is refused (401) even when a good cookie comes with it, so a wrong header is never hidden.
/// </summary>
public sealed class DashboardAccess(CallerResolver callers, DashboardSessions sessions, KeyLookupGuard guard)
{
    public const string CookieName = "grid_dashboard";

    /// <summary>The decision, and when the session ends (null: a bearer key, which has no end of its own).</summary>
    public async ValueTask<(DashboardAccessOutcome Outcome, DateTimeOffset? SessionEnds)> CheckAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var (caller, presented, throttled) = await callers.ResolveAsync(http);
        if (throttled)
        {
            return (DashboardAccessOutcome.Throttled, null);
        }

        if (presented)
        {
            return caller switch
            {
                { IsOperator: true } => (DashboardAccessOutcome.Allowed, null),
                null => (DashboardAccessOutcome.Unauthorized, null),
                _ => (DashboardAccessOutcome.Forbidden, null),
            };
        }

        return sessions.Verify(http.Request.Cookies[CookieName]) is { } ends
            ? (DashboardAccessOutcome.Allowed, ends)
            : (DashboardAccessOutcome.Unauthorized, null);
    }

    /// <summary>Whether a sign-in from this address may be tried now (wrong keys spend the address's budget).</summary>
    public bool MayTrySignIn(HttpContext http) => !guard.IsBlocked(http.Connection.RemoteIpAddress);

    public void SignInFailed(HttpContext http) => guard.RecordFailure(http.Connection.RemoteIpAddress);
}
