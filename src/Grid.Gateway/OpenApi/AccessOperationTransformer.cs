using System.Text.Json.Nodes;
using Grid.Gateway.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Grid.Gateway.OpenApi;

/// <summary>
/// Writes what a route's <see cref="AccessRequirement"/> asks for: the <c>bearer</c> security requirement,
/// <c>x-grid-scope</c> (the scope an account key needs), <c>x-grid-operator-only</c> (the admin key alone),
/// <c>x-grid-settles</c> (no end user's token), and
/// the 401 and 403 answers. A route without one takes no token and gets none of these.
/// </summary>
internal sealed class AccessOperationTransformer : IOpenApiOperationTransformer
{
    public const string ScopeExtension = "x-grid-scope";
    public const string OperatorOnlyExtension = "x-grid-operator-only";
    public const string SettlesExtension = "x-grid-settles";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        // The route's own requirement comes after its group's default, as AccessFilter reads it.
        var requirement = context.Description.ActionDescriptor.EndpointMetadata.OfType<AccessRequirement>().LastOrDefault();
        if (requirement is null)
        {
            return;
        }

        var scope = ApiScopes.Name(requirement.Scope);
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions[ScopeExtension] = new JsonNodeExtension(JsonValue.Create(scope));
        operation.Extensions[OperatorOnlyExtension] = new JsonNodeExtension(JsonValue.Create(requirement.OperatorOnly));
        operation.Extensions[SettlesExtension] = new JsonNodeExtension(JsonValue.Create(requirement.Settles));
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(GatewayDocumentTransformer.BearerScheme, context.Document)] = [],
        });

        var who = requirement.OperatorOnly
            ? "Takes the admin key only."
            : $"Takes the admin key, or a key of the account in the path with the '{scope}' scope (or a higher one).";
        if (requirement.Settles)
        {
            who += " It settles work, so an end user's guest or wallet token is refused (403) whatever its scope.";
        }

        operation.Description = operation.Description is { Length: > 0 } text ? $"{text}\n\n{who}" : who;

        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status401Unauthorized, cancellationToken);
        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status403Forbidden, cancellationToken);
    }
}
