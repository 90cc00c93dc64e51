namespace Grid.Gateway.Tests.Support;

/// <summary>A body of no stated length: sent chunked, so the gateway learns its size only by reading it.</summary>
internal sealed class ChunkedContent(byte[] body) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        for (var offset = 0; offset < body.Length; offset += 8_192)
        {
            await stream.WriteAsync(body.AsMemory(offset, Math.Min(8_192, body.Length - offset)));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
