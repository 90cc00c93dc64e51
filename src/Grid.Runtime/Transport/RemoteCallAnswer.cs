namespace Grid.Runtime.Transport;

/// <summary>What the cluster endpoint sends back for one call: the HTTP status, the outcome header (if any) and the body.</summary>
public sealed record RemoteCallAnswer(int StatusCode, string? Outcome, byte[] Body);
