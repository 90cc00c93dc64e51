using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Grid.Gateway.OpenApi;

/// <summary>
/// Every operation may be rate limited (429); each problem+json answer is described by the codes it carries
/// rather than by its reason phrase alone.
/// </summary>
internal sealed class ProblemResponseTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status429TooManyRequests, cancellationToken);
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is OpenApiResponse { Content: { } content } concrete
                && content.ContainsKey(ProblemResponses.ContentType)
                && int.TryParse(status, out var code)
                && ProblemResponses.Describe(code) is { } described)
            {
                concrete.Description = described;
            }
        }
    }
}
