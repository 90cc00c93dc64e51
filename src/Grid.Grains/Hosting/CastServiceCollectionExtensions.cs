using Grid.Grains.Casts;
using Grid.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Grains.Hosting;

public static class CastServiceCollectionExtensions
{
    /// <summary>Adds the cast grain (prices, buffers and timeouts come with each call; the gateway keeps the price table).</summary>
    public static IServiceCollection AddCasts(this IServiceCollection services)
    {
        services.AddGrain<CastGrain>();
        return services;
    }
}
