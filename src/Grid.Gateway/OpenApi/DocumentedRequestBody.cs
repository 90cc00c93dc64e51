using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;

namespace Grid.Gateway.OpenApi;

/// <summary>
/// A route's JSON request body, declared for the document alone. <c>Accepts&lt;T&gt;("application/json")</c> would
/// also make routing answer other content types with a bare 415 before the handler runs; the handlers answer those
/// themselves (400 <c>validation_failed</c> naming <c>body</c>), so this names no content type to route on.
/// </summary>
internal sealed class DocumentedRequestBody(Type requestType, bool isOptional) : IAcceptsMetadata
{
    public IReadOnlyList<string> ContentTypes => [];

    public Type? RequestType => requestType;

    public bool IsOptional => isOptional;
}

/// <summary>Declares <see cref="DocumentedRequestBody"/> on a route.</summary>
internal static class DocumentedRequestBodyExtensions
{
    public static RouteHandlerBuilder DescribesBody<TRequest>(this RouteHandlerBuilder builder, bool isOptional = false) =>
        builder.WithMetadata(new DocumentedRequestBody(typeof(TRequest), isOptional));
}
