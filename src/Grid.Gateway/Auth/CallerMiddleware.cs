using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Auth;

/// <summary>
/// Resolves the caller of every route that checks access before the rate limiter runs, so limits are kept per
/// verified key or token: an unverified token only ever spends its sender's own (per address) budget.
/// </summary>
internal sealed class CallerMiddleware(RequestDelegate next, CallerResolver resolver)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<AccessRequirement>() is not null && (await resolver.ResolveAsync(http)).Throttled)
        {
            http.Response.Headers.RetryAfter = "1";
            await GridProblem.Create(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited, "Too many requests",
                    "Too many wrong keys came from this address; retry after 1 s.", new Dictionary<string, object?> { ["retryAfter"] = 1 })
                .ExecuteAsync(http);
            return;
        }

        await next(http);
    }
}
