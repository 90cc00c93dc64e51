namespace Grid.Gateway.App;

/// <summary>One file of the credits page: its bytes, how it is served, and its validator for conditional requests.</summary>
internal sealed record AppAsset(string Name, ReadOnlyMemory<byte> Content, string ContentType, string ETag);
