using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Grid.Gateway.OpenApi;

/// <summary>The problem+json answers of operations: declared on routes, added by transformers, described by code.</summary>
internal static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    private const string SchemaId = nameof(ProblemResponse);

    /// <summary>What each status means here, by the codes it carries (API.md "Errors").</summary>
    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [StatusCodes.Status400BadRequest] = "validation_failed: a field, path id or query parameter is refused; `errors` names each.",
        [StatusCodes.Status401Unauthorized] = "unauthorized: no bearer token, or not a valid, unrevoked one.",
        [StatusCodes.Status402PaymentRequired] = "insufficient_funds: with `available` and `required`; negative_balance: a payment rail took the account "
            + "below zero (`available`), so nothing is spent until a deposit brings it back, whatever the overdraft.",
        [StatusCodes.Status403Forbidden] = "forbidden: the token may not do this (another account's key, too small a scope, an operator's route).",
        [StatusCodes.Status404NotFound] = "not_found: the account, hold or key does not exist.",
        [StatusCodes.Status409Conflict] = "idempotency_conflict (same operationId, another body; `field` names the difference), already_exists, "
            + "hold_closed, account_frozen, account_closed, account_not_empty, too_many_holds or invalid_state.",
        [StatusCodes.Status413PayloadTooLarge] = "payload_too_large: the body is over 64 KiB.",
        [StatusCodes.Status429TooManyRequests] = "rate_limited: slow down; Retry-After says when to try again.",
        [StatusCodes.Status503ServiceUnavailable] = "unavailable: retry with the same operationId after Retry-After; nothing was acknowledged.",
    };

    /// <summary>Declares problem+json answers with these statuses.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<ProblemResponse>(status, ContentType);
        }

        return builder;
    }

    /// <summary>The description of a problem status, or null for one the gateway does not answer with.</summary>
    public static string? Describe(int status) => Descriptions.GetValueOrDefault(status);

    /// <summary>Adds a problem+json answer with <paramref name="status"/> unless the operation has one.</summary>
    public static async Task AddAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, CancellationToken cancellationToken)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        operation.Responses ??= [];
        if (operation.Responses.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = Describe(status) ?? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
            Content = new Dictionary<string, OpenApiMediaType> { [ContentType] = new() { Schema = await SchemaAsync(context, cancellationToken) } },
        };
    }

    /// <summary>A reference to the one ProblemResponse component, made by the first operation that needs it.</summary>
    private static async Task<IOpenApiSchema> SchemaAsync(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation belongs to no document.");
        if (document.Components?.Schemas?.ContainsKey(SchemaId) != true)
        {
            document.AddComponent<IOpenApiSchema>(SchemaId, await context.GetOrCreateSchemaAsync(typeof(ProblemResponse), null, cancellationToken));
        }

        return new OpenApiSchemaReference(SchemaId, document);
    }
}
