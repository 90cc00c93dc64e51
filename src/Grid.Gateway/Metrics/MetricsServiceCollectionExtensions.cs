using Microsoft.Extensions.DependencyInjection;

namespace Grid.Gateway.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>The /metrics collector and the gateway's own instruments.</summary>
    public static IServiceCollection AddGridMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<HttpMetrics>();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<PrometheusCollector>();
        return services;
    }
}
