namespace Grid.Runtime.Transport;

/// <summary>What a silo sends back for one call: the answer's kind and its payload.</summary>
public sealed record RemoteCallAnswer(CallFrameKind Kind, byte[] Body);
