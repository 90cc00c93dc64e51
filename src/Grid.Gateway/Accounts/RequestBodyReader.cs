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

    /// <summary>
    /// The required <c>operationId</c> of a body that carries only that, checked together with a path value (valid or not,
    /// by <paramref name="pathRule"/>) so one 400 names both; or the problem to answer instead.
    /// </summary>
    public static async Task<(string? OperationId, IResult? Problem)> ReadOperationIdAsync(
        HttpRequest request, string pathField, bool pathValid, string pathRule, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadAsync(request, cancellationToken);
        if (body is null)
        {
            return (null, problem);
        }

        var operationId = body.RequiredId("operationId");
        if (!pathValid)
        {
            body.AddError(pathField, pathRule);
        }

        return body.IsValid ? (operationId, null) : (null, LedgerProblems.Validation(body.Errors));
    }

    /// <summary>The body as a <see cref="RequestBody"/>, or the problem to answer instead.</summary>
    public static async Task<(RequestBody? Body, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
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
        }
        catch (BadHttpRequestException unreadable)
        {
            return (null, GridProblem.Unreadable(unreadable));
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
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name escaping a lone surrogate ("\ud800") fails the duplicate-name check.
            return (null, LedgerProblems.Validation("body", $"The body is not valid JSON: {error.Message}"));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, LedgerProblems.Validation("body", "The body must be a JSON object."));
            }

            return IsText(document.RootElement)
                ? (new RequestBody(document.RootElement.Clone()), null)
                : (null, LedgerProblems.Validation("body", "The body holds a string that is not valid UTF-8 or has an unpaired surrogate escape."));
        }
    }

    /// <summary>
    /// Whether every name and string in <paramref name="element"/> decodes to text. The parser lets through invalid
    /// UTF-8 inside strings and escapes of lone surrogates ("\ud800"); reading or writing them back throws later.
    /// </summary>
    private static bool IsText(JsonElement element)
    {
        try
        {
            return Decodes(element);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static bool Decodes(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    return element.EnumerateArray().All(Decodes);
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        if (!Decodes(property.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }
    }

    private static IResult TooLarge() =>
        GridProblem.Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "Payload too large", $"The body is limited to {MaxBytes} bytes.");
}
