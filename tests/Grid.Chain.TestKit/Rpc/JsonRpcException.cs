using System.Text.Json.Nodes;

namespace Grid.Chain.TestKit.Rpc;

/// <summary>A JSON-RPC error object answered to <see cref="Method"/>, or a reply that was no JSON-RPC answer at all.</summary>
public sealed class JsonRpcException(string method, long code, string rpcMessage, JsonNode? data = null)
    : Exception($"{method} failed: {code} {rpcMessage}{(data is null ? "" : " " + data.ToJsonString())}")
{
    public string Method { get; } = method;

    public long Code { get; } = code;

    /// <summary>The error object's <c>message</c>.</summary>
    public string RpcMessage { get; } = rpcMessage;

    /// <summary>The error object's <c>data</c> (e.g. revert data), if any.</summary>
    public JsonNode? ErrorData { get; } = data?.DeepClone();
}
