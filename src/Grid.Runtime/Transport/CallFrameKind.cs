namespace Grid.Runtime.Transport;

/// <summary>What a frame on a call stream carries: one call from the caller, or one of the answers to it.</summary>
public enum CallFrameKind : byte
{
    /// <summary>A grain call (the JSON of <see cref="RemoteCallProtocol.EncodeCall"/>).</summary>
    Call = 1,

    /// <summary>The call ran; the payload is its result's JSON.</summary>
    Result = 2,

    /// <summary>The call ran and threw; the payload is a <see cref="RemoteError"/>.</summary>
    Error = 3,

    /// <summary>The receiver does not own the grain in its view; the call did not run. Read the membership again.</summary>
    NotOwner = 4,

    /// <summary>The receiver could not read the call; the payload is a <see cref="RemoteError"/>.</summary>
    BadCall = 5,

    /// <summary>The receiver is stopping and did not run the call.</summary>
    Unavailable = 6,
}
