using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.OpenApi;

/// <summary>
/// Answers a request for a document the gateway does not have as every unknown path is answered (404 problem+json
/// <c>not_found</c>) rather than with the OpenAPI endpoint's own plain-text 404.
/// </summary>
internal sealed class KnownDocumentFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return http.Request.RouteValues["documentName"] as string == GatewayOpenApi.DocumentName
            ? next(context)
            : ValueTask.FromResult<object?>(GridProblem.Create(
                StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found", $"There is no OpenAPI document at {http.Request.Path}; try /openapi/{GatewayOpenApi.DocumentName}.json."));
    }
}
