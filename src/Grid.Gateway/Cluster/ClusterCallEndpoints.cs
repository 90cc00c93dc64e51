using Grid.Gateway.Dashboard;
using Grid.Runtime.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Grid.Gateway.Cluster;

/// <summary>
/// Grain calls from other silos and embedded clients (<see cref="RemoteCallProtocol"/>), answered only on the
/// cluster port: the public gateway port never takes them, whatever the caller holds.
/// </summary>
public static class ClusterCallEndpoints
{
    public static IEndpointRouteBuilder MapClusterCalls(this IEndpointRouteBuilder routes, int clusterPort)
    {
        routes.MapPost(RemoteCallProtocol.Path, HandleAsync)
            .RequireHost($"*:{clusterPort}")
            .ExcludeFromDescription();
        routes.MapGet(RemoteCallProtocol.ManifestPath, DescribeAsync)
            .RequireHost($"*:{clusterPort}")
            .ExcludeFromDescription();
        routes.MapDashboardReadings(clusterPort);
        return routes;
    }

    private static async Task DescribeAsync(HttpContext context, RemoteCallHandler handler)
    {
        if (!handler.IsAuthorized(context.Request.Headers.Authorization))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var body = handler.DescribeCluster();
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task HandleAsync(HttpContext context, RemoteCallHandler handler)
    {
        var response = context.Response;
        if (!handler.IsAuthorized(context.Request.Headers.Authorization))
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = RemoteCallProtocol.MaxBodyBytes;
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException tooLarge)
        {
            response.StatusCode = tooLarge.StatusCode;
            return;
        }

        var answer = await handler.HandleAsync(body, context.RequestAborted);
        response.StatusCode = answer.StatusCode;
        if (answer.Outcome is { } outcome)
        {
            response.Headers[RemoteCallProtocol.OutcomeHeader] = outcome;
        }

        response.ContentType = "application/json";
        response.ContentLength = answer.Body.Length;
        await response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }
}
