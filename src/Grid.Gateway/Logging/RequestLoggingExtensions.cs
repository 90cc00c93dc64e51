using Microsoft.AspNetCore.Builder;

namespace Grid.Gateway.Logging;

public static class RequestLoggingExtensions
{
    /// <summary>Logs every request once it is answered (see <see cref="RequestLoggingMiddleware"/>); add it first.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.UseMiddleware<RequestLoggingMiddleware>();
}
