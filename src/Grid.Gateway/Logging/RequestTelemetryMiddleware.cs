using Grid.Gateway.Auth;
using Grid.Gateway.Metrics;
using Grid.Runtime.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grid.Gateway.Logging;

/// <summary>
/// Times every request once and reports it twice: to <see cref="HttpMetrics"/> (requests and durations by route
/// pattern and status), and as one structured log line: method, route pattern, status, elapsed milliseconds
/// and who called.
/// Never the path, the query string or any header: paths carry ids and queries may carry anything, and
/// the caller is only ever named as <c>operator</c>, <c>key &lt;key id&gt;</c> (the public part of an
/// account key, as its listing shows it) or <c>anonymous</c> (no token, or one that was refused). Health, metrics and silo-to-silo grain calls
/// are polled or frequent and log at Debug.
/// </summary>
internal sealed partial class RequestTelemetryMiddleware(RequestDelegate next, HttpMetrics metrics, ILogger<RequestTelemetryMiddleware> logger, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // Taken now (routing has matched): the exception handler clears the endpoint before it answers.
        var route = HttpMetrics.RouteOf(context.GetEndpoint());
        var started = time.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError; // unless the pipeline returns normally
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var elapsed = time.GetElapsedTime(started);
            metrics.RequestFinished(HttpMetrics.MethodOf(context.Request.Method), route, status, elapsed);
            var level = IsRoutine(context.Request.Path) ? LogLevel.Debug : LogLevel.Information;
            if (logger.IsEnabled(level))
            {
                LogRequest(logger, level, context.Request.Method, route, status, elapsed.TotalMilliseconds, CallerOf(context));
            }
        }
    }

    private static bool IsRoutine(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(MetricsEndpoints.Path, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(RemoteCallProtocol.Path, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(RemoteCallProtocol.ManifestPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(Dashboard.RemoteSiloReader.Path, StringComparison.OrdinalIgnoreCase);

    // The caller resolver leaves what the bearer token was here (also when the route then refused it); only
    // public ids are named, never a secret.
    private static string CallerOf(HttpContext context) =>
        context.Items.TryGetValue(typeof(CallerResolution), out var item) && item is CallerResolution resolution
            ? resolution.Caller switch
            {
                null => resolution.TokenPresented ? "invalid token" : "anonymous",
                { Kind: CallerKind.Operator } => "operator",
                { Kind: CallerKind.ApiKey } key => $"key {key.CredentialId}",
                { Kind: CallerKind.GuestToken } guest => $"guest token {guest.CredentialId} of {guest.AccountId}",
                var wallet => $"wallet session {wallet.CredentialId} of {wallet.AccountId}",
            }
            : "anonymous";

    [LoggerMessage(Message = "HTTP {Method} {Route} answered {StatusCode} in {ElapsedMs:0.0} ms for {Caller}")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string route, int statusCode, double elapsedMs, string caller);
}
