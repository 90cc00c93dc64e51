using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Cluster;

/// <summary>Routes that only the cluster port answers: silo-to-silo calls and readings.</summary>
public static class ClusterPortRoutes
{
    /// <summary>
    /// Routing picks the route by the Host header's port; a Host header says whatever its sender likes, so the connection's
    /// own port must be the cluster port as well, else the route is as absent as on any other port (404).
    /// </summary>
    public static TBuilder OnlyOnClusterPort<TBuilder>(this TBuilder builder, int clusterPort)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .RequireHost($"*:{clusterPort}")
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.Connection.LocalPort == clusterPort ? await next(context) : Results.NotFound());
}
