namespace Grid.Runtime.Transport;

/// <summary>All registered exception codecs, the runtime's own last: encode what a grain threw, decode what came back.</summary>
public sealed class RemoteErrors(IEnumerable<IRemoteExceptionCodec> codecs)
{
    private readonly IRemoteExceptionCodec[] _codecs = [.. codecs, new RuntimeExceptionCodec()];

    public RemoteError Encode(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var codec in _codecs)
        {
            if (codec.Encode(error) is { } encoded)
            {
                return encoded;
            }
        }

        return new RemoteError(error.GetType().FullName ?? error.GetType().Name, error.Message);
    }

    public Exception Decode(RemoteError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var codec in _codecs)
        {
            if (codec.Decode(error) is { } decoded)
            {
                return decoded;
            }
        }

        return new RemoteGrainException(error.Type, error.Message);
    }
}
