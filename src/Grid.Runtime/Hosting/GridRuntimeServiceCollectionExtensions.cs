using Grid.Runtime.Core;
using Grid.Runtime.Membership;
using Grid.Runtime.Placement;
using Grid.Runtime.Transport;
using Grid.Runtime.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Grid.Runtime.Hosting;

public static class GridRuntimeServiceCollectionExtensions
{
    /// <summary>Adds the grain runtime and a hosted service that starts and stops it with the host.</summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<GrainRuntimeOptions>? configure = null)
    {
        services.AddOptions<GrainRuntimeOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainTypeRegistry>();
        services.TryAddSingleton<GrainRuntime>();
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.TryAddSingleton<IGrainEvents>(sp => sp.GetRequiredService<GrainRuntime>().Events);
        services.TryAddSingleton<GrainRuntimeMetrics>();
        services.AddHostedService<GrainRuntimeHostedService>();
        return services;
    }

    /// <summary>
    /// Joins the cluster: membership through the membership table (an <see cref="IMembershipTable"/> must be
    /// registered, as Grid.Storage does), rendezvous placement, and grain calls to other silos over HTTP/2. The
    /// host maps <see cref="RemoteCallHandler"/> on the cluster port. Add it after <see cref="AddGrainRuntime"/>:
    /// hosted services stop in reverse order, so the silo leaves the cluster before its activations go.
    /// </summary>
    public static IServiceCollection AddGridCluster(this IServiceCollection services, Action<ClusterOptions>? configure = null)
    {
        services.AddOptions<ClusterOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MembershipService>();
        services.AddHostedService(sp => sp.GetRequiredService<MembershipService>());
        services.TryAddSingleton<ClusterPlacement>();
        services.TryAddSingleton<IGrainPlacement>(sp => sp.GetRequiredService<ClusterPlacement>());
        services.TryAddSingleton<GrainCallSerializer>();
        services.TryAddSingleton<RemoteCallCatalog>();
        services.TryAddSingleton<RemoteErrors>();
        services.TryAddSingleton(sp => new RemoteCallSender(
            sp.GetRequiredService<GrainCallSerializer>(),
            sp.GetRequiredService<RemoteErrors>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.Secret ?? throw new InvalidOperationException($"{ClusterOptions.SectionName}:Secret is not set.")));
        services.TryAddSingleton<HttpRemoteGrainInvoker>();
        services.TryAddSingleton<IRemoteGrainInvoker>(sp => sp.GetRequiredService<HttpRemoteGrainInvoker>());
        services.TryAddSingleton<RemoteCallHandler>();
        return services;
    }

    public static IServiceCollection AddGrain<TGrain>(this IServiceCollection services)
        where TGrain : Grain
    {
        services.AddSingleton(new GrainRegistration(typeof(TGrain)));
        return services;
    }
}
