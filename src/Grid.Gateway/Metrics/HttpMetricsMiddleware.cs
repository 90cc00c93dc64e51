using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Metrics;

/// <summary>
/// Counts and times every request. The route is taken before the rest of the pipeline runs (routing has
/// matched by then), because the exception handler clears the endpoint before it answers.
/// </summary>
internal sealed class HttpMetricsMiddleware(RequestDelegate next, HttpMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var route = HttpMetrics.RouteOf(context.GetEndpoint());
        var method = HttpMetrics.MethodOf(context.Request.Method);
        var started = time.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError; // unless the pipeline returns normally
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            metrics.RequestFinished(method, route, status, time.GetElapsedTime(started));
        }
    }
}
