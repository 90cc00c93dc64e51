using System.Text.Json.Nodes;

namespace Grid.Chain.TestKit.Rpc;

/// <summary>A block header and its transaction hashes, as eth_getBlockByNumber gives them without full transactions.</summary>
public sealed record ChainBlock(long Number, string Hash, string ParentHash, DateTimeOffset Timestamp, IReadOnlyList<string> TransactionHashes)
{
    // Value equality over the transaction hashes too, so a block read twice compares equal.
    public bool Equals(ChainBlock? other) =>
        other is not null
        && Number == other.Number
        && Hash == other.Hash
        && ParentHash == other.ParentHash
        && Timestamp == other.Timestamp
        && TransactionHashes.SequenceEqual(other.TransactionHashes);

    public override int GetHashCode() => HashCode.Combine(Number, Hash);

    public static ChainBlock Parse(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new ChainBlock(
            Hex.ToLong(Json.Text(node, "number")),
            Json.Text(node, "hash"),
            Json.Text(node, "parentHash"),
            DateTimeOffset.FromUnixTimeSeconds(Hex.ToLong(Json.Text(node, "timestamp"))),
            [.. (node["transactions"]?.AsArray() ?? []).Select(hash => hash!.GetValue<string>())]);
    }
}
