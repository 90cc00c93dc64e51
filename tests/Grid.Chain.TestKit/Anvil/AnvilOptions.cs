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

    /// <summary>The EVM rules to run (<c>--hardfork</c>, e.g. <c>cancun</c>); null: anvil's default, the newest.</summary>
    public string? Hardfork { get; init; }

    /// <summary>
    /// Keep only recent states in memory (<c>--prune-history</c>): eth_call and balances at old blocks then fail; blocks,
    /// receipts and logs all stay. For long chains: with every past state kept, and with Prague's block-hash history
    /// contract (EIP-2935) growing by a slot a block, each mined block costs more the longer the chain (2,000 empty
    /// blocks take about 3 s at height 0 and 27 s at height 8,000); pruned and on <c>cancun</c> they take 0.05 s at any
    /// height.
    /// </summary>
    public bool PruneHistory { get; init; }

    /// <summary>tests/oracles to take the anvil binary from; null finds it as <see cref="Grid.TestKit.NodeOracle"/> does.</summary>
    public string? OraclesDirectory { get; init; }

    /// <summary>How long a start may take before it fails.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
