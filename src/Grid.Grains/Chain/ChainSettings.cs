namespace Grid.Grains.Chain;

/// <summary>One watched chain, as configured under <c>Grid:Chains:{n}</c> (API.md "Configuration names").</summary>
public sealed class ChainSettings
{
    public ulong ChainId { get; set; }

    /// <summary>The node's JSON-RPC URL. It may carry a provider key: it is never logged.</summary>
    public string? RpcUrl { get; set; }

    /// <summary>The grid's deposit contract (deploy/contracts/GridDeposit.sol) on this chain.</summary>
    public string? DepositContract { get; set; }

    /// <summary>Where plain token transfers are watched for (and where the deposit contract forwards funds).</summary>
    public string? Treasury { get; set; }

    /// <summary>Blocks a deposit's block must have on top of it, itself included, before it is credited.</summary>
    public int Confirmations { get; set; } = 12;

    /// <summary>Credit at the node's <c>finalized</c> tag instead of counting confirmations.</summary>
    public bool UseFinalized { get; set; }

    /// <summary>The first block to scan; without it the watcher starts at the head it first sees.</summary>
    public ulong? StartBlock { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Blocks per eth_getLogs request at first; halved on a provider's range error, doubled when quiet.</summary>
    public ulong InitialLogRange { get; set; } = 2_000;

    public ulong MaxLogRange { get; set; } = 10_000;

    /// <summary>Recent blocks whose hashes are kept to find where a reorg forked; deeper reorgs cannot be followed.</summary>
    public int ReorgWindow { get; set; } = 128;

    /// <summary>
    /// Deposits the watcher follows at once (waiting for confirmations, or settled inside the reorg window); at this many
    /// it stops reading new ranges until some leave, a bound on its stored state.
    /// </summary>
    public int MaxTrackedDeposits { get; set; } = 50_000;

    /// <summary>How long an intent's quoted rate holds (judged by the deposit block's time).</summary>
    public TimeSpan IntentLifetime { get; set; } = TimeSpan.FromHours(1);

    public List<TokenSettings> Tokens { get; set; } = [];

    public EthSettings Eth { get; set; } = new();
}
