using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace Grid.Runtime.Transport;

/// <summary>
/// The framing of a call stream, the same both ways: a 32-bit little-endian length of what follows, the call's
/// 64-bit id, one <see cref="CallFrameKind"/> byte, then the payload. Payloads are bounded by
/// <see cref="RemoteCallProtocol.MaxBodyBytes"/>; a longer frame is a broken peer and ends the stream.
/// </summary>
public static class CallFrames
{
    public const int HeaderBytes = sizeof(int) + sizeof(long) + sizeof(byte);

    private const int MaxFrameLength = sizeof(long) + sizeof(byte) + RemoteCallProtocol.MaxBodyBytes;

    /// <summary>A flush at the latest once this much is written, so a burst of large frames is not all held at once.</summary>
    private const int FlushBytes = 64 * 1024;

    public static void Write(IBufferWriter<byte> writer, long id, CallFrameKind kind, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (payload.Length > RemoteCallProtocol.MaxBodyBytes)
        {
            throw new ArgumentException($"A call frame's payload is at most {RemoteCallProtocol.MaxBodyBytes} bytes.", nameof(payload));
        }

        var span = writer.GetSpan(HeaderBytes + payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span, sizeof(long) + sizeof(byte) + payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[sizeof(int)..], id);
        span[sizeof(int) + sizeof(long)] = (byte)kind;
        payload.CopyTo(span[HeaderBytes..]);
        writer.Advance(HeaderBytes + payload.Length);
    }

    /// <summary>
    /// Writes frames as they are queued, all that wait per flush (up to <see cref="FlushBytes"/>), until the queue is
    /// completed (true) or the other side stops reading (false). Frames <paramref name="skip"/> names are not written.
    /// </summary>
    public static async Task<bool> PumpAsync(ChannelReader<CallFrame> queued, PipeWriter writer, Func<CallFrame, bool>? skip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queued);
        ArgumentNullException.ThrowIfNull(writer);
        while (await queued.WaitToReadAsync(cancellationToken))
        {
            var unflushed = 0;
            while (unflushed < FlushBytes && queued.TryRead(out var frame))
            {
                if (skip?.Invoke(frame) == true)
                {
                    continue;
                }

                Write(writer, frame.Id, frame.Kind, frame.Payload);
                unflushed += HeaderBytes + frame.Payload.Length;
            }

            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Takes one whole frame off the front of <paramref name="buffer"/>; false (buffer untouched) while it is not all
    /// there yet. Throws <see cref="InvalidDataException"/> for a frame no peer of this protocol sends.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out CallFrame frame)
    {
        frame = default;
        if (buffer.Length < HeaderBytes)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < sizeof(long) + sizeof(byte) || length > MaxFrameLength)
        {
            throw new InvalidDataException($"A call frame of {length} bytes is outside the protocol's bounds.");
        }

        if (buffer.Length < sizeof(int) + length)
        {
            return false;
        }

        var kind = (CallFrameKind)header[sizeof(int) + sizeof(long)];
        if (!Enum.IsDefined(kind))
        {
            throw new InvalidDataException($"Call frame kind {(byte)kind} is not part of the protocol.");
        }

        var payload = buffer.Slice(HeaderBytes, length - sizeof(long) - sizeof(byte)).ToArray();
        frame = new CallFrame(BinaryPrimitives.ReadInt64LittleEndian(header[sizeof(int)..]), kind, payload);
        buffer = buffer.Slice(sizeof(int) + length);
        return true;
    }
}
