using System.Text.Json;
using Grid.Chain.Addresses;
using Grid.Chain.Primitives;

namespace Grid.Chain.Rpc.Json;

/// <summary>The calls <see cref="EthereumRpcClient"/> makes, with their parameters.</summary>
internal static class RpcParams
{
    public static RpcCall ChainId() => RpcCall.WithoutParams("eth_chainId");

    public static RpcCall BlockNumber() => RpcCall.WithoutParams("eth_blockNumber");

    // false: transaction hashes only, not whole transactions; the header fields are all we read.
    public static RpcCall BlockByNumber(BlockTag tag) => new("eth_getBlockByNumber", writer =>
    {
        writer.WriteStringValue(tag.ToRpcParameter());
        writer.WriteBooleanValue(false);
    });

    public static RpcCall Logs(LogFilter filter) => new("eth_getLogs", writer =>
    {
        writer.WriteStartObject();
        if (filter.BlockHash is { } blockHash)
        {
            writer.WriteString("blockHash", blockHash.ToString());
        }
        else
        {
            writer.WriteString("fromBlock", HexQuantity.Encode(filter.FromBlock));
            writer.WriteString("toBlock", HexQuantity.Encode(filter.ToBlock));
        }

        // Left out when empty: every node reads a missing address or topics as "any".
        if (filter.Addresses.Count > 0)
        {
            writer.WriteStartArray("address");
            foreach (var address in filter.Addresses)
            {
                writer.WriteStringValue(address.ToLowerHexString());
            }

            writer.WriteEndArray();
        }

        if (filter.Topics.Count > 0)
        {
            writer.WriteStartArray("topics");
            foreach (var position in filter.Topics)
            {
                if (position is null)
                {
                    writer.WriteNullValue();
                    continue;
                }

                writer.WriteStartArray();
                foreach (var topic in position)
                {
                    writer.WriteStringValue(topic.ToString());
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    });

    public static RpcCall TransactionReceipt(Hash32 transactionHash) => new("eth_getTransactionReceipt", writer =>
        writer.WriteStringValue(transactionHash.ToString()));

    public static RpcCall BlockReceipts(Hash32 blockHash) => new("eth_getBlockReceipts", writer =>
        writer.WriteStringValue(blockHash.ToString()));

    public static RpcCall Call(EthereumAddress to, ReadOnlyMemory<byte> data, BlockTag tag) => new("eth_call", writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("to", to.ToLowerHexString());
        writer.WriteString("data", HexQuantity.EncodeData(data.Span));
        writer.WriteEndObject();
        writer.WriteStringValue(tag.ToRpcParameter());
    });
}
