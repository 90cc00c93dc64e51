using System.Text.Json;

namespace Grid.Chain.Rpc.Json;

/// <summary>One JSON-RPC method call: its name and a writer for the elements of its <c>params</c> array.</summary>
internal sealed record RpcCall(string Method, Action<Utf8JsonWriter> WriteParams)
{
    public static RpcCall WithoutParams(string method) => new(method, static _ => { });
}
