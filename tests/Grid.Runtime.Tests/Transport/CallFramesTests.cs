using System.Buffers;
using System.Buffers.Binary;
using Grid.Runtime.Transport;
using Xunit;

namespace Grid.Runtime.Tests.Transport;

public sealed class CallFramesTests
{
    [Fact]
    public void Frames_come_back_whole_and_in_order_however_the_bytes_are_split()
    {
        var written = new ArrayBufferWriter<byte>();
        CallFrames.Write(written, 1, CallFrameKind.Call, "first"u8);
        CallFrames.Write(written, long.MaxValue, CallFrameKind.Result, []);
        CallFrames.Write(written, 42, CallFrameKind.Error, new byte[70_000]);
        var bytes = written.WrittenSpan.ToArray();

        foreach (var cut in new[] { 1, 3, CallFrames.HeaderBytes, 17, 4096, bytes.Length })
        {
            var frames = ReadInPieces(bytes, cut);

            Assert.Equal([1L, long.MaxValue, 42L], frames.Select(f => f.Id));
            Assert.Equal([CallFrameKind.Call, CallFrameKind.Result, CallFrameKind.Error], frames.Select(f => f.Kind));
            Assert.Equal("first"u8.ToArray(), frames[0].Payload);
            Assert.Empty(frames[1].Payload);
            Assert.Equal(70_000, frames[2].Payload.Length);
        }
    }

    [Fact]
    public void A_frame_not_all_there_yet_leaves_the_buffer_as_it_was()
    {
        var written = new ArrayBufferWriter<byte>();
        CallFrames.Write(written, 5, CallFrameKind.Call, "payload"u8);
        var partial = new ReadOnlySequence<byte>(written.WrittenMemory[..^1]);

        Assert.False(CallFrames.TryRead(ref partial, out _));
        Assert.Equal(written.WrittenCount - 1, partial.Length);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(8)] // shorter than an id and a kind
    [InlineData(-1)]
    public void A_length_outside_the_protocol_is_refused(int length)
    {
        var bytes = new byte[CallFrames.HeaderBytes];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Throws<InvalidDataException>(() => CallFrames.TryRead(ref buffer, out _));
    }

    [Fact]
    public void An_unknown_kind_and_an_oversized_payload_are_refused()
    {
        var written = new ArrayBufferWriter<byte>();
        CallFrames.Write(written, 5, CallFrameKind.Call, "x"u8);
        var bytes = written.WrittenSpan.ToArray();
        bytes[sizeof(int) + sizeof(long)] = 99;
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Throws<InvalidDataException>(() => CallFrames.TryRead(ref buffer, out _));
        Assert.Throws<ArgumentException>(() => CallFrames.Write(new ArrayBufferWriter<byte>(), 1, CallFrameKind.Call, new byte[RemoteCallProtocol.MaxBodyBytes + 1]));
    }

    /// <summary>Feeds the bytes <paramref name="piece"/> at a time, as a pipe would, keeping what is not yet a whole frame.</summary>
    private static List<CallFrame> ReadInPieces(byte[] bytes, int piece)
    {
        var frames = new List<CallFrame>();
        var pending = Array.Empty<byte>();
        for (var offset = 0; offset < bytes.Length; offset += piece)
        {
            pending = [.. pending, .. bytes.AsSpan(offset, Math.Min(piece, bytes.Length - offset))];
            var buffer = new ReadOnlySequence<byte>(pending);
            while (CallFrames.TryRead(ref buffer, out var frame))
            {
                frames.Add(frame);
            }

            pending = buffer.ToArray();
        }

        Assert.Empty(pending);
        return frames;
    }
}
