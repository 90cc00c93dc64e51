using Microsoft.AspNetCore.Builder;

namespace Grid.Gateway.Logging;

public static class RequestTelemetryExtensions
{
    /// <summary>Counts and logs every request once it is answered (see <see cref="RequestTelemetryMiddleware"/>); add it first.</summary>
    public static IApplicationBuilder UseRequestTelemetry(this IApplicationBuilder app) => app.UseMiddleware<RequestTelemetryMiddleware>();
}
