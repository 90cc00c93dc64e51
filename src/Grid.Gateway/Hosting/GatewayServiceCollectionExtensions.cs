using Grid.Gateway.Auth;
using Grid.Gateway.Health;
using Grid.Gateway.Metrics;
using Grid.Gateway.Streams;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Gateway.Hosting;

public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddGridGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName));
        services.AddSingleton<AdminKeyVerifier>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<JournalAnnouncements>();
        services.AddGridMetrics();
        services.AddProblemDetails();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));
        services.AddHealthChecks().AddCheck<StorageReadyCheck>("storage", tags: ["ready"]);
        return services;
    }
}
