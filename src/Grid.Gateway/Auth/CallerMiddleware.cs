using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Auth;

/// <summary>
/// Resolves the caller of every route that checks access before the rate limiter runs, so limits are kept per
/// verified key or token: an unverified token only ever spends its sender's own (per address) budget. So are the
/// callers of API routes open to anyone that read a credential when one is given (a payment's status), or a server
/// polling them with its key would be held to the anonymous budget of its address.
/// </summary>
internal sealed class CallerMiddleware(RequestDelegate next, CallerResolver resolver)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var checksAccess = http.GetEndpoint()?.Metadata.GetMetadata<AccessRequirement>() is not null
            || (http.Request.Headers.Authorization.Count > 0 && http.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal));
        if (checksAccess && (await resolver.ResolveAsync(http)).Throttled)
        {
            await GridProblem.RateLimited(http, 1, "Too many wrong keys came from this address; retry after 1 s.").ExecuteAsync(http);
            return;
        }

        await next(http);
    }
}
