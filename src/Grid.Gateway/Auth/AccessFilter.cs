using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Auth;

/// <summary>
/// Authenticates the bearer token (the configured admin key, or an account key) and checks it against the
/// route's <see cref="AccessRequirement"/>: 401 for a missing, malformed, unknown or revoked token; 403 for a
/// valid one that may not do this (another account, too small a scope, an operator's route). A route without
/// a requirement is the operator's.
/// </summary>
internal sealed class AccessFilter(AdminKeyVerifier admin, ApiKeys keys) : IEndpointFilter
{
    private static readonly AccessRequirement OperatorOnly = new(ApiScope.Admin, OperatorOnly: true);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var requirement = http.GetEndpoint()?.Metadata.GetMetadata<AccessRequirement>() ?? OperatorOnly;
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var token = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
        var caller = string.IsNullOrEmpty(token) ? null
            : admin.Verify(token) ? GridCaller.Operator
            : token.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal) ? await keys.VerifyAsync(token, http.RequestAborted)
            : null;
        if (caller is null)
        {
            return requirement.OperatorOnly && !admin.IsConfigured
                ? GridProblem.Unauthorized("Admin routes are refused: no admin key is configured (Grid:Auth:AdminKey).")
                : GridProblem.Unauthorized(string.IsNullOrEmpty(token)
                    ? "A bearer token is required (an API key, or the admin key)."
                    : "The bearer token is not a valid, unrevoked key.");
        }

        if (requirement.OperatorOnly && !caller.IsOperator)
        {
            return GridProblem.Forbidden("This route takes the operator's admin key, not an account key.");
        }

        if (!caller.IsOperator && (http.Request.RouteValues["id"] as string is not { } accountId || !caller.May(accountId, requirement.Scope)))
        {
            return GridProblem.Forbidden(
                $"This key is bound to another account or lacks the '{ApiScopes.Name(requirement.Scope)}' scope this route needs.");
        }

        http.Items[typeof(GridCaller)] = caller;
        return await next(context);
    }
}
