using System.Buffers;
using System.Text.Json;
using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Accounts;

/// <summary>
/// Reads a ledger request's body: at most <see cref="MaxBytes"/>, JSON by content type, one object,
/// no duplicate names. An empty body reads as an object with no fields, so the route's own checks name
/// what is missing. Anything else is answered here: 400 naming <c>body</c>, or 413.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>Far above the largest valid command (metadata is at most 4,096 characters).</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    /// <summary>The body as a <see cref="RequestBody"/>, or the problem to answer instead.</summary>
    public static async Task<(RequestBody? Body, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(4096), cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                return (null, TooLarge());
            }
        }

        if (buffer.WrittenCount == 0)
        {
            return (new RequestBody(default), null);
        }

        if (!request.HasJsonContentType())
        {
            return (null, LedgerProblems.Validation("body", "The body must be JSON, sent with Content-Type: application/json."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.WrittenMemory, Options);
        }
        catch (JsonException error)
        {
            return (null, LedgerProblems.Validation("body", $"The body is not valid JSON: {error.Message}"));
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (new RequestBody(document.RootElement.Clone()), null)
                : (null, LedgerProblems.Validation("body", "The body must be a JSON object."));
        }
    }

    private static IResult TooLarge() =>
        GridProblem.Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "Payload too large", $"The body is limited to {MaxBytes} bytes.");
}
