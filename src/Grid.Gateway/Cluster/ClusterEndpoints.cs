using Grid.Gateway.Auth;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Runtime.Membership;
using Grid.Runtime.Metrics;
using Grid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Gateway.Cluster;

internal static class ClusterEndpoints
{
    public static void MapClusterEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/v1/cluster", GetCluster)
            .AddEndpointFilter<AccessFilter>()
            .RequireOperator()
            .WithName("GetCluster")
            .WithSummary("The silos in this silo's view and their activations (admin).");

    private static ClusterView GetCluster(
        SiloIdentity silo, GrainRuntime runtime, GrainRuntimeMetrics metrics, GridDatabase database, TimeProvider time, IServiceProvider services)
    {
        var byType = metrics.Snapshot().ToDictionary(t => t.GrainType, t => t.Activations, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var provider = database.Provider.ToString().ToLowerInvariant();
        var self = new SiloView(silo.Id, silo.Name, silo.StartedAt, Uptime(silo.StartedAt, now), provider, "active");
        if (services.GetService<MembershipService>() is not { } membership)
        {
            return new ClusterView(self, Clustered: false, [self], runtime.ActivationCount, byType);
        }

        var silos = membership.View.Silos
            .Select(s => new SiloView(s.SiloId, s.Name, s.StartedAt, Uptime(s.StartedAt, now), provider, "active", s.Endpoint, s.HeartbeatAt))
            .ToArray();
        var me = silos.FirstOrDefault(s => s.Id == silo.Id) ?? self with { Status = "out of view" };
        return new ClusterView(me, Clustered: true, silos, runtime.ActivationCount, byType);
    }

    private static double Uptime(DateTimeOffset startedAt, DateTimeOffset now) => Math.Round((now - startedAt).TotalSeconds, 1);
}
