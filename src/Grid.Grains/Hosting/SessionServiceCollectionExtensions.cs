using Grid.Grains.Sessions;
using Grid.Runtime.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Grains.Hosting;

public static class SessionServiceCollectionExtensions
{
    /// <summary>Adds metered sessions with their settings from <c>Grid:Sessions</c>.</summary>
    public static IServiceCollection AddSessions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SessionOptions>().Bind(configuration.GetSection(SessionOptions.SectionName));
        services.AddGrain<SessionGrain>();
        return services;
    }
}
