using System.Numerics;
using System.Text.Json.Nodes;

namespace Grid.Chain.TestKit.Rpc;

/// <summary>
/// A transaction for the node to sign with one of its unlocked dev accounts (eth_sendTransaction). Without
/// <see cref="Gas"/> the node estimates it against the latest block, which fails for a call that only succeeds
/// after another still-pending transaction (an approve, say): give calls a limit when mining is not automatic.
/// </summary>
public sealed record TransactionRequest(string From, string? To, BigInteger Value, string? Data = null, long? Gas = null)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["from"] = From };
        if (To is not null)
        {
            json["to"] = To;
        }

        json["value"] = Hex.Quantity(Value);
        if (Data is not null)
        {
            json["input"] = Data;
        }

        if (Gas is { } gas)
        {
            json["gas"] = Hex.Quantity(gas);
        }

        return json;
    }
}
