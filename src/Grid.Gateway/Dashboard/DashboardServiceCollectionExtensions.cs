using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Gateway.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>The dashboard's services; none of them runs anything until a dashboard is opened.</summary>
    public static IServiceCollection AddGridDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName));
        services.AddSingleton<DashboardSessions>();
        services.AddSingleton<DashboardAccess>();
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<JournalFeed>();
        services.AddSingleton<SiloReader>();
        services.AddSingleton<RemoteSiloReader>();
        services.AddSingleton<DashboardSampler>();
        return services;
    }
}
