using Grid.Runtime.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Grid.Gateway.Cluster;

/// <summary>
/// Grain calls from other silos and embedded clients (<see cref="RemoteCallProtocol"/>), answered only on the
/// cluster port: the public gateway port never takes them, whatever the caller holds.
/// </summary>
public static class ClusterCallEndpoints
{
    public static IEndpointRouteBuilder MapClusterCalls(this IEndpointRouteBuilder routes, int clusterPort)
    {
        routes.MapPost(RemoteCallProtocol.Path, StreamAsync)
            .OnlyOnClusterPort(clusterPort)
            .ExcludeFromDescription();
        routes.MapGet(RemoteCallProtocol.ManifestPath, DescribeAsync)
            .OnlyOnClusterPort(clusterPort)
            .ExcludeFromDescription();
        return routes;
    }

    private static async Task DescribeAsync(HttpContext context, RemoteCallHandler handler)
    {
        if (!handler.IsAuthorized(context.Request.Headers.Authorization))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (!handler.HasCurrentView)
        {
            // Cut off from the membership table: its view may name silos that are gone and miss new ones. A client asks
            // the next silo it knows.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var body = handler.DescribeCluster();
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task StreamAsync(HttpContext context, RemoteCallHandler handler)
    {
        var response = context.Response;
        if (!handler.IsAuthorized(context.Request.Headers.Authorization))
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        // A call stream lasts as long as the two silos do: no body size limit, and it may sit idle between calls.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minimumRate)
        {
            minimumRate.MinDataRate = null;
        }

        if (context.Features.Get<IHttpMinResponseDataRateFeature>() is { } minimumResponseRate)
        {
            minimumResponseRate.MinDataRate = null;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        await response.StartAsync(context.RequestAborted);
        await response.BodyWriter.FlushAsync(context.RequestAborted);
        try
        {
            await handler.ServeStreamAsync(context.Request.BodyReader, response.BodyWriter, context.RequestAborted);
        }
        catch (Exception gone) when (gone is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
        catch (InvalidDataException)
        {
            context.Abort(); // not a peer of this protocol: drop it
        }
    }
}
