using Grid.Gateway.Accounts;
using Grid.Gateway.App;
using Grid.Gateway.Casts;
using Grid.Gateway.Auth;
using Grid.Gateway.Cluster;
using Grid.Gateway.Dashboard;
using Grid.Gateway.Keys;
using Grid.Gateway.Logging;
using Grid.Gateway.Metrics;
using Grid.Gateway.OpenApi;
using Grid.Gateway.Payments;
using Grid.Gateway.Sessions;
using Grid.Gateway.Streams;
using Grid.Gateway.Problems;
using Grid.Gateway.Siwe;
using Grid.Gateway.Tokens;
using Grid.Gateway.Usage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Gateway.Hosting;

public static class GatewayApplicationExtensions
{
    /// <summary>Request logging and metrics, error handling, health endpoints, /metrics, the OpenAPI document, the v1 routes and the dashboard.</summary>
    public static WebApplication MapGridGateway(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Proxies.TrustedProxyOptions>().TrustedProxies.Count > 0)
        {
            // First: every per-address budget, the request log and the cookie's Secure flag then see the real client.
            app.UseForwardedHeaders();
        }

        app.UseRequestTelemetry();
        app.UseGridMetrics();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = StatusCodeProblemWriter.WriteExceptionAsync });
        app.UseStatusCodePages(StatusCodeProblemWriter.WriteStatusAsync);
        app.UseMiddleware<CallerMiddleware>();
        app.UseRateLimiter();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        // Anonymous: it describes the routes and opens none of them.
        app.MapOpenApi(GatewayOpenApi.RoutePattern).AddEndpointFilter<IEndpointConventionBuilder, KnownDocumentFilter>();
        app.MapClusterEndpoints();
        app.MapAccountEndpoints();
        app.MapKeyEndpoints();
        app.MapStreamEndpoints();
        app.MapTokenEndpoints();
        app.MapSiweEndpoints();
        app.MapPaymentEndpoints();
        app.MapOnchainPaymentEndpoints();
        app.MapWalletEndpoints();
        app.MapCastEndpoints();
        app.MapUsageEndpoints();
        app.MapAutoReloadEndpoints();
        app.MapSessionEndpoints();
        app.MapParkedStepEndpoints();
        app.MapStripeWebhook();
        app.MapAppEndpoints();
        app.MapDashboard();
        // No catch-all route: unknown paths (404) and wrong methods (405) come from routing as bare statuses
        // and the status-code page above turns them into problem+json.
        return app;
    }
}
