using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Grid.Gateway.OpenApi;

/// <summary>
/// Tags each operation by its resource, the path segment after <c>/v1/</c> (<c>/v1/accounts/...</c> is "accounts"),
/// unless the route names its tags; the framework's default would be the name of the class that mapped it.
/// </summary>
internal sealed class PathTagTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        if (description.ActionDescriptor.EndpointMetadata.OfType<ITagsMetadata>().Any())
        {
            return Task.CompletedTask;
        }

        var segments = (description.RelativePath ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["v1", var resource, ..])
        {
            operation.Tags = new HashSet<OpenApiTagReference> { new(resource, context.Document) };
        }

        return Task.CompletedTask;
    }
}
