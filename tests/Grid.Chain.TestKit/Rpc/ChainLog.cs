using System.Text.Json.Nodes;

namespace Grid.Chain.TestKit.Rpc;

/// <summary>A log as eth_getLogs and receipts give it; addresses, topics and data lowercase.</summary>
public sealed record ChainLog(
    string Address,
    IReadOnlyList<string> Topics,
    string Data,
    long BlockNumber,
    string BlockHash,
    string TransactionHash,
    long TransactionIndex,
    long LogIndex,
    bool Removed)
{
    // Value equality over the topics too, so logs read twice (say before and after a node restart) compare equal.
    public bool Equals(ChainLog? other) =>
        other is not null
        && Address == other.Address
        && Topics.SequenceEqual(other.Topics)
        && Data == other.Data
        && BlockNumber == other.BlockNumber
        && BlockHash == other.BlockHash
        && TransactionHash == other.TransactionHash
        && TransactionIndex == other.TransactionIndex
        && LogIndex == other.LogIndex
        && Removed == other.Removed;

    public override int GetHashCode() => HashCode.Combine(BlockHash, TransactionHash, LogIndex);

    public static ChainLog Parse(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new ChainLog(
            Json.Text(node, "address").ToLowerInvariant(),
            [.. (node["topics"]?.AsArray() ?? []).Select(topic => topic!.GetValue<string>().ToLowerInvariant())],
            Json.Text(node, "data").ToLowerInvariant(),
            Hex.ToLong(Json.Text(node, "blockNumber")),
            Json.Text(node, "blockHash"),
            Json.Text(node, "transactionHash"),
            Hex.ToLong(Json.Text(node, "transactionIndex")),
            Hex.ToLong(Json.Text(node, "logIndex")),
            node["removed"]?.GetValue<bool>() ?? false);
    }
}
