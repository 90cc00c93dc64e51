using Grid.Chain.Addresses;
using Grid.Chain.Rpc;

namespace Grid.Grains.Chain;

/// <summary>A configured chain, checked and parsed, with its node client.</summary>
public sealed class WatchedChain(ChainSettings settings, IEthereumRpc rpc, EthereumAddress depositContract, EthereumAddress treasury, IReadOnlyList<WatchedToken> tokens, EthereumAddress? priceFeed)
{
    /// <summary>The symbol of the chain's own coin in intents.</summary>
    public const string Ether = "ETH";

    public const int EtherDecimals = 18;

    public ulong ChainId => settings.ChainId;

    public IEthereumRpc Rpc => rpc;

    public EthereumAddress DepositContract => depositContract;

    public EthereumAddress Treasury => treasury;

    public ChainSettings Settings => settings;

    public IReadOnlyList<WatchedToken> Tokens => tokens;

    public EthereumAddress? PriceFeed => priceFeed;

    public bool TakesEther => settings.Eth.CreditsPerEth is not null || priceFeed is not null;

    public WatchedToken? FindToken(string symbol) =>
        tokens.FirstOrDefault(t => string.Equals(t.Symbol, symbol, StringComparison.OrdinalIgnoreCase));

    public WatchedToken? FindToken(EthereumAddress address) => tokens.FirstOrDefault(t => t.Address == address);
}
