using System.Text.Json;
using Grid.Chain.Addresses;
using Grid.Chain.Primitives;

namespace Grid.Chain.Rpc.Json;

/// <summary>
/// Reads the <c>result</c> of each call into the grid's types. Anything missing or misspelt is a
/// <see cref="FormatException"/> here, which <see cref="Read"/> turns into a malformed-answer failure.
/// </summary>
internal static class RpcResultReader
{
    public static T Read<T>(JsonElement result, Func<JsonElement, T> reader, string method)
    {
        try
        {
            return reader(result);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw RpcErrorClassifier.Malformed(method, e.Message, e);
        }
    }

    public static ulong Quantity(JsonElement result) => HexQuantity.ParseUInt64(AsString(result, "result"));

    public static byte[] Data(JsonElement result) => HexQuantity.ParseData(AsString(result, "result"));

    public static ChainBlock? Block(JsonElement result)
    {
        if (result.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        RequireObject(result, "block");
        var seconds = UInt64(result, "timestamp");
        if (seconds > (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new FormatException($"the block timestamp {seconds} is past the year 9999");
        }

        return new ChainBlock(
            UInt64(result, "number"),
            Hash(result, "hash"),
            Hash(result, "parentHash"),
            DateTimeOffset.FromUnixTimeSeconds((long)seconds),
            Bloom(result));
    }

    // Only ever a check on eth_getLogs answers: one a node left out or garbled is no bloom, not a broken block.
    private static LogsBloom? Bloom(JsonElement block)
    {
        if (!block.TryGetProperty("logsBloom", out var bloom) || bloom.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return LogsBloom.FromBytes(HexQuantity.ParseData(bloom.GetString()!));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static IReadOnlyList<ChainLog> Logs(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the logs are not an array");
        }

        var logs = new List<ChainLog>(result.GetArrayLength());
        foreach (var log in result.EnumerateArray())
        {
            logs.Add(Log(log));
        }

        return logs;
    }

    public static TransactionReceipt? Receipt(JsonElement result)
    {
        if (result.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        RequireObject(result, "receipt");

        // Receipts before Byzantium carry a state root instead of a status; the grid only reads newer ones.
        var status = UInt64(result, "status");
        if (status > 1)
        {
            throw new FormatException($"the receipt status is {status}, neither 0 nor 1");
        }

        var to = result.TryGetProperty("to", out var toElement) && toElement.ValueKind != JsonValueKind.Null
            ? EthereumAddress.Parse(AsString(toElement, "to"))
            : null;
        if (!result.TryGetProperty("logs", out var logs))
        {
            throw new FormatException("the receipt has no \"logs\"");
        }

        return new TransactionReceipt(
            Hash(result, "transactionHash"),
            UInt64(result, "blockNumber"),
            Hash(result, "blockHash"),
            status == 1,
            Address(result, "from"),
            to,
            Logs(logs));
    }

    /// <summary>eth_getBlockReceipts' answer: null for a block the node does not have.</summary>
    public static IReadOnlyList<TransactionReceipt>? Receipts(JsonElement result)
    {
        if (result.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (result.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the block's receipts are not an array");
        }

        var receipts = new List<TransactionReceipt>(result.GetArrayLength());
        foreach (var element in result.EnumerateArray())
        {
            receipts.Add(Receipt(element) ?? throw new FormatException("a block's receipt is null"));
        }

        return receipts;
    }

    private static ChainLog Log(JsonElement log)
    {
        RequireObject(log, "log");
        if (!log.TryGetProperty("topics", out var topicsElement) || topicsElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("a log has no \"topics\" array");
        }

        var topics = new List<Hash32>(topicsElement.GetArrayLength());
        foreach (var topic in topicsElement.EnumerateArray())
        {
            topics.Add(Hash32.Parse(AsString(topic, "topic")));
        }

        // Absent on nodes that never report removed logs to a plain eth_getLogs.
        var removed = log.TryGetProperty("removed", out var removedElement) && removedElement.ValueKind == JsonValueKind.True;
        return new ChainLog(
            Address(log, "address"),
            topics,
            HexQuantity.ParseData(String(log, "data")),
            UInt64(log, "blockNumber"),
            Hash(log, "blockHash"),
            Hash(log, "transactionHash"),
            UInt32(log, "transactionIndex"),
            UInt32(log, "logIndex"),
            removed);
    }

    private static void RequireObject(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"the {what} is not a JSON object");
        }
    }

    private static string String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var element)
            ? AsString(element, name)
            : throw new FormatException($"\"{name}\" is missing");

    private static string AsString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new FormatException($"\"{name}\" is not a string");

    private static ulong UInt64(JsonElement parent, string name) => HexQuantity.ParseUInt64(String(parent, name));

    private static uint UInt32(JsonElement parent, string name)
    {
        var value = UInt64(parent, name);
        return value <= uint.MaxValue ? (uint)value : throw new FormatException($"\"{name}\" is {value}, more than 32 bits");
    }

    private static Hash32 Hash(JsonElement parent, string name) => Hash32.Parse(String(parent, name));

    private static EthereumAddress Address(JsonElement parent, string name) => EthereumAddress.Parse(String(parent, name));
}
