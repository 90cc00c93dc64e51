using Grid.Chain.Addresses;
using Grid.Chain.Rpc;
using Microsoft.Extensions.Options;

namespace Grid.Grains.Chain;

/// <summary>
/// The configured chains, checked once at start: a chain with a missing or malformed setting stops the silo with
/// a message naming it, rather than watching the wrong address.
/// </summary>
public sealed class ChainCatalog
{
    private readonly Dictionary<ulong, WatchedChain> _chains = [];

    public ChainCatalog(ChainOptions options, Func<ChainSettings, Uri, IEthereumRpc> connect)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connect);
        for (var i = 0; i < options.Chains.Count; i++)
        {
            var settings = options.Chains[i];
            var at = $"{ChainOptions.SectionName}:{i}";
            if (settings.ChainId == 0)
            {
                throw Invalid(at, "ChainId", "is required (a positive chain id)");
            }

            if (!Uri.TryCreate(settings.RpcUrl, UriKind.Absolute, out var rpcUrl) || rpcUrl.Scheme is not ("http" or "https"))
            {
                throw Invalid(at, "RpcUrl", "must be an http(s) URL");
            }

            var contract = Address(at, "DepositContract", settings.DepositContract);
            var treasury = Address(at, "Treasury", settings.Treasury);
            if (treasury == contract)
            {
                // The contract forwards what it takes to the treasury: a token deposit would count as its Deposited event
                // and again as a Transfer to the treasury from its payer.
                throw Invalid(at, "Treasury", "may not be the deposit contract (every token deposit would be credited twice)");
            }
            if (settings.Confirmations < 1)
            {
                throw Invalid(at, "Confirmations", "must be at least 1");
            }

            if (settings.ReorgWindow <= settings.Confirmations || settings.ReorgWindow > 10_000)
            {
                throw Invalid(at, "ReorgWindow", "must be above Confirmations and at most 10000");
            }

            if (settings.InitialLogRange < 1 || settings.MaxLogRange < settings.InitialLogRange)
            {
                throw Invalid(at, "InitialLogRange", "must be at least 1 and at most MaxLogRange");
            }

            if (settings.PollInterval <= TimeSpan.Zero)
            {
                throw Invalid(at, "PollInterval", "must be positive");
            }

            if (settings.MaxTrackedDeposits is < 1 or > 1_000_000)
            {
                throw Invalid(at, "MaxTrackedDeposits", "must be from 1 to 1000000");
            }

            var tokens = new List<WatchedToken>();
            for (var t = 0; t < settings.Tokens.Count; t++)
            {
                var token = settings.Tokens[t];
                var tokenAt = $"{at}:Tokens:{t}";
                if (string.IsNullOrWhiteSpace(token.Symbol) || string.Equals(token.Symbol, WatchedChain.Ether, StringComparison.OrdinalIgnoreCase))
                {
                    throw Invalid(tokenAt, "Symbol", "is required and may not be ETH");
                }

                if (token.Decimals is < 0 or > 36 || token.CreditsPerToken <= 0)
                {
                    throw Invalid(tokenAt, "CreditsPerToken", "must be positive, with Decimals in 0..36");
                }

                var address = Address(tokenAt, "Address", token.Address);
                if (tokens.Any(listed => listed.Address == address || string.Equals(listed.Symbol, token.Symbol, StringComparison.OrdinalIgnoreCase)))
                {
                    throw Invalid(tokenAt, "Address", "repeats a token listed before it (by address or symbol)");
                }

                tokens.Add(new WatchedToken(token.Symbol, address, token.Decimals, CreditRate.PerWholeUnit(token.CreditsPerToken, token.Decimals)));
            }

            EthereumAddress? feed = null;
            if (settings.Eth.PriceFeed is not null)
            {
                feed = Address(at, "Eth:PriceFeed", settings.Eth.PriceFeed);
                if (settings.Eth.CreditsPerUsd is not > 0)
                {
                    throw Invalid(at, "Eth:CreditsPerUsd", "must be positive when a price feed is set");
                }
            }
            else if (settings.Eth.CreditsPerEth is <= 0)
            {
                throw Invalid(at, "Eth:CreditsPerEth", "must be positive");
            }

            if (!_chains.TryAdd(settings.ChainId, new WatchedChain(settings, connect(settings, rpcUrl), contract, treasury, tokens, feed)))
            {
                throw Invalid(at, "ChainId", $"repeats chain {settings.ChainId}");
            }
        }
    }

    public IReadOnlyCollection<WatchedChain> All => _chains.Values;

    public WatchedChain? Find(ulong chainId) => _chains.GetValueOrDefault(chainId);

    public WatchedChain Get(ulong chainId) =>
        Find(chainId) ?? throw new InvalidOperationException($"Chain {chainId} is not configured.");

    private static EthereumAddress Address(string at, string name, string? text) =>
        EthereumAddress.TryParse(text, out var address, out var error)
            ? address
            : throw Invalid(at, name, $"is not an address ({EthereumAddress.Describe(error)})");

    /// <summary>A settings error: the silo reports it as one line naming the setting and does not start.</summary>
    private static OptionsValidationException Invalid(string at, string name, string problem) =>
        new(ChainOptions.SectionName, typeof(ChainOptions), [$"{at}:{name} {problem}."]);
}
