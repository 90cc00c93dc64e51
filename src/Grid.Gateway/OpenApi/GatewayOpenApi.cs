using Microsoft.AspNetCore.OpenApi;

namespace Grid.Gateway.OpenApi;

/// <summary>
/// The gateway's OpenAPI document, <c>GET /openapi/v1.json</c>: every public route with its operation id, the
/// scope it needs, its request and response bodies and the problem+json answers it can give. The routes declare
/// what is theirs (<c>DescribesBody</c>, <c>Produces</c>); the transformers add what follows from shared metadata.
/// </summary>
internal static class GatewayOpenApi
{
    public const string DocumentName = "v1";

    public const string RoutePattern = "/openapi/{documentName}.json";

    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer<GatewayDocumentTransformer>();
        options.AddOperationTransformer<PathTagTransformer>();
        options.AddOperationTransformer<AccessOperationTransformer>();
        options.AddOperationTransformer<EventStreamOperationTransformer>();
        options.AddOperationTransformer<ProblemResponseTransformer>();
    }
}
