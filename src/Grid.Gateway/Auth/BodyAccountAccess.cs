using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Auth;

/// <summary>
/// Access for routes whose account is not in the path (casts, sessions, on-chain intents): the account comes from the
/// body or from the resource itself, so <see cref="AccessFilter"/> cannot check it and the route calls these instead,
/// with the same answers: 401 for a missing or bad token, 403 for a credential that may not act on the account.
/// </summary>
internal static class BodyAccountAccess
{
    /// <summary>The request's caller, or the 401 to answer.</summary>
    public static async Task<(GridCaller? Caller, IResult? Refused)> CallerAsync(HttpContext http, CallerResolver callers)
    {
        ArgumentNullException.ThrowIfNull(callers);
        var resolution = await callers.ResolveAsync(http);
        if (resolution.Caller is { } caller)
        {
            return (caller, null);
        }

        return (null, Unauthorized(resolution));
    }

    /// <summary>The 401 for a request whose caller could not be resolved.</summary>
    public static IResult Unauthorized(CallerResolution resolution) =>
        GridProblem.Unauthorized(resolution.TokenPresented
            ? "The bearer token is not a valid key or token (unknown, revoked, expired or malformed)."
            : "A bearer token is required (an API key, a guest or wallet token, or the admin key).");

    /// <summary>Null when the caller may act on <paramref name="accountId"/> with <paramref name="scope"/>; else the 401 or 403 to answer.</summary>
    public static async Task<IResult?> RefusedAsync(HttpContext http, CallerResolver callers, string accountId, ApiScope scope)
    {
        var (caller, refused) = await CallerAsync(http, callers);
        return refused ?? (caller!.May(accountId, scope) ? null : Forbidden(scope));
    }

    /// <summary>
    /// Null when <paramref name="caller"/> may act on <paramref name="accountId"/> as <paramref name="requirement"/>
    /// asks (its scope, and for a settling route a server's credential); else the 403 to answer. The one rule for
    /// routes with the account in the path (<see cref="AccessFilter"/>) and in the body or the resource alike.
    /// </summary>
    public static IResult? Refusal(GridCaller caller, string accountId, AccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(requirement);
        if (!caller.May(accountId, requirement.Scope))
        {
            return Forbidden(requirement.Scope);
        }

        return requirement.Settles && caller.IsEndUser ? SettlerOnly() : null;
    }

    /// <summary>What the request's route asks of its caller, as its metadata declares it (the operator's alone when it declares nothing).</summary>
    public static AccessRequirement RequirementOf(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<AccessRequirement>() ?? AccessRequirements.OperatorOnly;

    /// <summary>The 403 for an end user's token on a route that settles work (see <see cref="AccessRequirement.Settles"/>).</summary>
    public static IResult SettlerOnly() =>
        GridProblem.Forbidden(
            "Settling (capturing or voiding a hold, completing or failing a cast, starting a session at a price, reporting or ending its usage) takes the operator's " +
            "key or an account key of the server that ran the work; an end user's guest or wallet token may spend credits but not say what work cost.");

    public static IResult Forbidden(ApiScope scope) =>
        GridProblem.Forbidden($"This credential is bound to another account or lacks the '{ApiScopes.Name(scope)}' scope this route needs.");
}
