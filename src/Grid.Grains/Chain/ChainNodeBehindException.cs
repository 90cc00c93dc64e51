namespace Grid.Grains.Chain;

/// <summary>
/// The node answers for less of the chain than the watcher scanned already: a scan tick stops without changing anything
/// and the next one looks again, since a block the node is silent about is not a block a reorg removed.
/// </summary>
public sealed class ChainNodeBehindException(string message) : Exception(message);
