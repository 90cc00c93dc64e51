using System.Text.Json.Nodes;

namespace Grid.Chain.Tests.Support;

/// <summary>What a <see cref="ScriptedRpcServer"/> answers to one request.</summary>
public sealed record ScriptedReply(int Status, string? Body, string? RetryAfter = null, TimeSpan Delay = default)
{
    public static ScriptedReply Result(RecordedRequest request, JsonNode? result) => Json(Answer(request.Id, result));

    public static ScriptedReply Error(RecordedRequest request, int code, string message, JsonNode? data = null, int status = 200) =>
        new(status, ErrorObject(request.Id, code, message, data).ToJsonString());

    public static ScriptedReply Json(JsonNode body, int status = 200) => new(status, body.ToJsonString());

    public static ScriptedReply Http(int status, string? retryAfter = null) => new(status, null, retryAfter);

    public static JsonObject Answer(JsonNode? id, JsonNode? result) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id?.DeepClone(),
        ["result"] = result?.DeepClone(),
    };

    public static JsonObject ErrorObject(JsonNode? id, int code, string message, JsonNode? data = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (data is not null)
        {
            error["data"] = data.DeepClone();
        }

        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["error"] = error };
    }
}
