namespace Grid.Runtime.Transport;

/// <summary>
/// Turns exceptions the application's grains throw into <see cref="RemoteError"/>s and back, so a caller
/// on another silo catches the same exception type with the same details as a local caller would.
/// </summary>
public interface IRemoteExceptionCodec
{
    /// <summary>The error for an exception this codec knows; null otherwise.</summary>
    RemoteError? Encode(Exception error);

    /// <summary>The exception for an error this codec wrote; null otherwise.</summary>
    Exception? Decode(RemoteError error);
}
