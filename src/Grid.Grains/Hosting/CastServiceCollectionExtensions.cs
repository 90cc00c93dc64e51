using Grid.Grains.Casts;
using Grid.Runtime.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Grains.Hosting;

public static class CastServiceCollectionExtensions
{
    /// <summary>
    /// Adds the cast grain and the sweeper that times casts out (prices, buffers and timeouts come with each call; the
    /// gateway keeps the price table). Settings from <c>Grid:Casts</c> when <paramref name="configuration"/> is given.
    /// </summary>
    public static IServiceCollection AddCasts(this IServiceCollection services, IConfiguration? configuration = null, Action<CastOptions>? configure = null)
    {
        var options = services.AddOptions<CastOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(CastOptions.SectionName));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddGrain<CastGrain>();
        services.AddGrain<CastSweeperGrain>();
        services.AddSingleton<CastSweeperWaker>();
        services.AddHostedService<CastSweeperStarter>();
        return services;
    }
}
