using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Auth;

/// <summary>
/// Checks the request's caller (see <see cref="CallerResolver"/>) against the route's <see cref="AccessRequirement"/>:
/// 401 for a missing, malformed, unknown, expired or revoked token; 403 for a valid one that may not do this
/// (another account, too small a scope, an operator's route). A route without a requirement is the operator's.
/// </summary>
internal sealed class AccessFilter(AdminKeyVerifier admin, CallerResolver resolver) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var requirement = BodyAccountAccess.RequirementOf(http);
        var (caller, presented, _) = await resolver.ResolveAsync(http);
        if (caller is null)
        {
            return requirement.OperatorOnly && !admin.IsConfigured
                ? GridProblem.Unauthorized("Admin routes are refused: no admin key is configured (Grid:Auth:AdminKey).")
                : GridProblem.Unauthorized(presented
                    ? "The bearer token is not a valid key or token (unknown, revoked, expired or malformed)."
                    : "A bearer token is required (an API key, a guest or wallet token, or the admin key).");
        }

        if (requirement.OperatorOnly && !caller.IsOperator)
        {
            return GridProblem.Forbidden("This route takes the operator's admin key, not an account key or token.");
        }

        if (!caller.IsOperator && (http.Request.RouteValues["id"] is string accountId
                ? BodyAccountAccess.Refusal(caller, accountId, requirement)
                : BodyAccountAccess.Forbidden(requirement.Scope)) is { } refused)
        {
            return refused;
        }

        http.Items[typeof(GridCaller)] = caller;
        return await next(context);
    }
}
