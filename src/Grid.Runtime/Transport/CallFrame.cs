namespace Grid.Runtime.Transport;

/// <summary>One frame of a call stream: the call's id on that stream, what the frame is, and its payload.</summary>
public readonly record struct CallFrame(long Id, CallFrameKind Kind, byte[] Payload);
