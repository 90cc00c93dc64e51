namespace Grid.Chain.TestKit.Anvil;

/// <summary>How an <see cref="AnvilNode"/> runs.</summary>
public sealed record AnvilOptions
{
    /// <summary>Anvil's own default chain id.</summary>
    public const long DefaultChainId = 31337;

    public static AnvilOptions Default { get; } = new();

    public long ChainId { get; init; } = DefaultChainId;

    /// <summary>
    /// Seconds between blocks (interval mining, <c>--block-time</c>); null mines a block for every transaction
    /// (automine). With interval mining transactions wait for the next block.
    /// </summary>
    public int? BlockTimeSeconds { get; init; }

    /// <summary>tests/oracles to take the anvil binary from; null finds it as <see cref="Grid.TestKit.NodeOracle"/> does.</summary>
    public string? OraclesDirectory { get; init; }

    /// <summary>How long a start may take before it fails.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
