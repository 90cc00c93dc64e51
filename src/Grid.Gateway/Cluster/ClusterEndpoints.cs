using Grid.Gateway.Auth;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Runtime.Metrics;
using Grid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grid.Gateway.Cluster;

internal static class ClusterEndpoints
{
    public static void MapClusterEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/v1/cluster", GetCluster)
            .AddEndpointFilter<AdminEndpointFilter>()
            .WithName("GetCluster")
            .WithSummary("The silos in this silo's view and their activations (admin).");

    private static ClusterView GetCluster(SiloIdentity silo, GrainRuntime runtime, GrainRuntimeMetrics metrics, GridDatabase database, TimeProvider time)
    {
        var byType = metrics.Snapshot().ToDictionary(t => t.GrainType, t => t.Activations, StringComparer.Ordinal);
        var self = new SiloView(
            silo.Id,
            silo.Name,
            silo.StartedAt,
            Math.Round((time.GetUtcNow() - silo.StartedAt).TotalSeconds, 1),
            database.Provider.ToString().ToLowerInvariant(),
            "active");
        return new ClusterView(self, [self], runtime.ActivationCount, byType);
    }
}
