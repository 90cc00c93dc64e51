using System.Text.Json.Nodes;

namespace Grid.Stripe.TestKit.StandIn;

/// <summary>What the stand-in answers: a status, a JSON body, and extra headers.</summary>
internal sealed record StandInResponse(int Status, JsonNode Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static StandInResponse Ok(JsonNode body) => new(200, body);

    /// <summary>Stripe's error shape: <c>{"error": {"type", "message", "code", "param", "doc_url", ...}}</c>.</summary>
    public static StandInResponse Error(
        int status,
        string type,
        string message,
        string? code = null,
        string? param = null,
        string? declineCode = null,
        Action<JsonObject>? more = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var error = new JsonObject();
        if (code is not null)
        {
            error["code"] = code;
        }

        if (declineCode is not null)
        {
            error["decline_code"] = declineCode;
        }

        if (code is not null)
        {
            error["doc_url"] = "https://stripe.com/docs/error-codes/" + code.Replace('_', '-');
        }

        error["message"] = message;
        if (param is not null)
        {
            error["param"] = param;
        }

        more?.Invoke(error);
        error["type"] = type;
        return new(status, new JsonObject { ["error"] = error }, headers);
    }

    public static StandInResponse InvalidRequest(string message, string? param = null, string? code = null) =>
        Error(400, "invalid_request_error", message, code, param);
}
