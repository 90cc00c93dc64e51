using System.Text.Json.Nodes;

namespace Grid.Chain.Tests.Support;

/// <summary>A request a <see cref="ScriptedRpcServer"/> received: its number (from 1), parsed body, and when it came.</summary>
public sealed record RecordedRequest(int Number, JsonNode? Body, DateTimeOffset ReceivedAt)
{
    /// <summary>The id of a single call.</summary>
    public JsonNode? Id => Body?["id"]?.DeepClone();

    /// <summary>The calls of a batch, in the order sent.</summary>
    public IReadOnlyList<JsonObject> Calls => Body is JsonArray batch ? batch.Select(call => call!.AsObject()).ToList() : [Body!.AsObject()];
}
