using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Auth;

/// <summary>Admits only requests that carry the admin key as a bearer token.</summary>
internal sealed class AdminEndpointFilter(AdminKeyVerifier verifier) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!verifier.IsConfigured)
        {
            return ValueTask.FromResult<object?>(GridProblem.Unauthorized("Admin routes are refused: no admin key is configured (Grid:Auth:AdminKey)."));
        }

        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var token = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
        return verifier.Verify(token)
            ? next(context)
            : ValueTask.FromResult<object?>(GridProblem.Unauthorized("A valid admin bearer token is required."));
    }
}
