namespace Grid.Grains.Chain;

/// <summary>A block of the chain as the watcher last saw it: the number and hash that reorgs are detected by.</summary>
public sealed record BlockRef(ulong Number, string Hash);
