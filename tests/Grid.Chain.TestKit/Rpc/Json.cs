using System.Text.Json.Nodes;

namespace Grid.Chain.TestKit.Rpc;

/// <summary>Reading required fields out of JSON-RPC results.</summary>
internal static class Json
{
    public static string Text(JsonNode node, string name) =>
        node[name]?.GetValue<string>() ?? throw new FormatException($"The JSON-RPC result has no '{name}': {node.ToJsonString()}");

    public static string? OptionalText(JsonNode node, string name) => node[name]?.GetValue<string>();
}
