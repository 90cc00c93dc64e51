using System.Buffers;
using System.Text.Json;

namespace Grid.Chain.Rpc.Json;

/// <summary>Writes JSON-RPC 2.0 request bodies: one call, or a batch (an array of calls).</summary>
internal static class RpcRequestWriter
{
    public static byte[] Single(long id, RpcCall call)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, id, call);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Batch(IReadOnlyList<long> ids, IReadOnlyList<RpcCall> calls)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < calls.Count; i++)
            {
                Write(writer, ids[i], calls[i]);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, long id, RpcCall call)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteNumber("id", id);
        writer.WriteString("method", call.Method);
        writer.WriteStartArray("params");
        call.WriteParams(writer);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
