using System.Text.Json.Nodes;

namespace Grid.Chain.TestKit.Rpc;

/// <summary>What eth_getTransactionReceipt says about a mined transaction.</summary>
public sealed record TransactionReceipt(
    string TransactionHash,
    long BlockNumber,
    string BlockHash,
    string From,
    string? To,
    bool Succeeded,
    string? ContractAddress,
    long GasUsed,
    IReadOnlyList<ChainLog> Logs)
{
    // Value equality over the logs too, so a receipt read twice compares equal.
    public bool Equals(TransactionReceipt? other) =>
        other is not null
        && TransactionHash == other.TransactionHash
        && BlockNumber == other.BlockNumber
        && BlockHash == other.BlockHash
        && From == other.From
        && To == other.To
        && Succeeded == other.Succeeded
        && ContractAddress == other.ContractAddress
        && GasUsed == other.GasUsed
        && Logs.SequenceEqual(other.Logs);

    public override int GetHashCode() => HashCode.Combine(TransactionHash, BlockHash);

    public static TransactionReceipt Parse(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new TransactionReceipt(
            Json.Text(node, "transactionHash"),
            Hex.ToLong(Json.Text(node, "blockNumber")),
            Json.Text(node, "blockHash"),
            Json.Text(node, "from").ToLowerInvariant(),
            Json.OptionalText(node, "to")?.ToLowerInvariant(),
            Json.Text(node, "status") == "0x1",
            Json.OptionalText(node, "contractAddress")?.ToLowerInvariant(),
            Hex.ToLong(Json.Text(node, "gasUsed")),
            [.. (node["logs"]?.AsArray() ?? []).Select(log => ChainLog.Parse(log!))]);
    }
}
