using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Gateway.Metrics;

/// <summary>API.md "Operations": <c>GET /metrics</c> in the Prometheus text format, anonymous like the health routes.</summary>
public static class MetricsEndpoints
{
    public const string Path = "/metrics";

    /// <summary>
    /// Starts the collector and maps <c>GET /metrics</c> (services: <see cref="MetricsServiceCollectionExtensions.AddGridMetrics"/>).
    /// Call it before the host starts: the collector starts listening here, so nothing after start-up is missed.
    /// </summary>
    public static WebApplication UseGridMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<PrometheusCollector>();
        app.MapGet(Path, (PrometheusCollector collector) => Results.Text(collector.Scrape(), PrometheusTextWriter.ContentType))
            .WithName("Metrics")
            .WithSummary("Counters and histograms of the silo in the Prometheus text format (version 0.0.4).");
        return app;
    }
}
