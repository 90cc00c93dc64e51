namespace Grid.Gateway.Hosting;

/// <summary>One embedded file: its bytes, how it is served, and its validator for conditional requests.</summary>
public sealed record EmbeddedAsset(string Name, byte[] Content, string ContentType, string ETag);
