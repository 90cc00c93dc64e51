using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Grid.Gateway.OpenApi;

/// <summary>Names the document and declares the <c>bearer</c> scheme every secured operation refers to.</summary>
internal sealed class GatewayDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "bearer";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["accounts"] = "Accounts: balance, journal, debits, holds and the operator's movements; the balance stream.",
        ["keys"] = "Account API keys: issued once, listed without secrets, revoked at once.",
        ["auth"] = "Sign-In with Ethereum: a nonce, then a signed message for a session token.",
        ["cluster"] = "This silo, the silos in its view and their activations.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Credit Grid gateway",
            Version = context.DocumentName,
            Description = "Prepaid credit accounts, their journal, holds and API keys. Errors are application/problem+json "
                + "with a stable `code`; every mutating request carries an `operationId` that makes it idempotent.",
        };
        document.AddComponent<IOpenApiSecurityScheme>(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = BearerScheme,
            BearerFormat = "API key (gk_...), the admin key, a SIWE session token or a guest token",
            Description = "Authorization: Bearer <token>. Each operation's x-grid-scope names the scope an account key needs; "
                + "x-grid-operator-only operations take the configured admin key alone.",
        });
        document.Tags = UsedTags(document);
        return Task.CompletedTask;
    }

    /// <summary>The tags the operations carry (see <see cref="PathTagTransformer"/>), described.</summary>
    private static HashSet<OpenApiTag> UsedTags(OpenApiDocument document)
    {
        var names = (document.Paths ?? [])
            .SelectMany(path => path.Value.Operations ?? [])
            .SelectMany(operation => operation.Value.Tags ?? Enumerable.Empty<OpenApiTagReference>())
            .Select(tag => tag.Name)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        return names.Select(name => new OpenApiTag { Name = name, Description = TagDescriptions.GetValueOrDefault(name) }).ToHashSet();
    }
}
