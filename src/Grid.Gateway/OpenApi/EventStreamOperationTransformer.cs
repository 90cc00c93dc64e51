using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Grid.Gateway.OpenApi;

/// <summary>
/// The balance stream writes its events itself, so nothing on its route tells the document what it answers:
/// this says it (text/event-stream, resumable by <c>Last-Event-ID</c> or <c>?after=</c>).
/// </summary>
internal sealed class EventStreamOperationTransformer : IOpenApiOperationTransformer
{
    /// <summary>The stream route's name (Streams/StreamEndpoints).</summary>
    public const string OperationId = "StreamJournal";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId != OperationId)
        {
            return;
        }

        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "Server-sent events, one per journal entry: `id: <sequence>`, `event: entry`, `data: <entry JSON>`; "
                + "a comment heartbeat every 15 s.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/event-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        };
        operation.Parameters ??= [];
        operation.Parameters.Add(QueryParameters.After("Resume after this journal sequence (Last-Event-ID wins when both are sent)."));
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Last-Event-ID",
            In = ParameterLocation.Header,
            Description = "The last sequence received; a reconnecting EventSource sends it.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]+$" },
        });
        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status400BadRequest, cancellationToken);
        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status404NotFound, cancellationToken);
        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status503ServiceUnavailable, cancellationToken);
    }
}
