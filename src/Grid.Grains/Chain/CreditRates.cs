using System.Numerics;
using Grid.Chain.Abi;
using Grid.Chain.Primitives;
using Grid.Chain.Rpc;
using Grid.Ledger.Errors;

namespace Grid.Grains.Chain;

/// <summary>
/// The rate a token is credited at now: a token's configured rate, ETH's fixed rate, or ETH from its price feed
/// (<c>latestRoundData</c> by eth_call), refused when the feed's answer is not positive or older than allowed.
/// </summary>
public sealed class CreditRates(TimeProvider time)
{
    private static readonly byte[] LatestRoundData = AbiSignatures.FunctionSelector("latestRoundData()");
    private static readonly byte[] Decimals = AbiSignatures.FunctionSelector("decimals()");

    /// <summary>How far a feed's update time may be ahead of this silo's clock (block timestamps run a little ahead).</summary>
    private const long MaxClockSkewSeconds = 300;

    /// <summary>The rate for <paramref name="symbol"/> on <paramref name="chain"/>; throws <c>unavailable</c> when the price cannot be used.</summary>
    public async Task<CreditRate> ForAsync(WatchedChain chain, string symbol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (!string.Equals(symbol, WatchedChain.Ether, StringComparison.OrdinalIgnoreCase))
        {
            return (chain.FindToken(symbol) ?? throw new InvalidOperationException($"Token {symbol} is not configured on chain {chain.ChainId}.")).Rate;
        }

        if (chain.Settings.Eth.CreditsPerEth is { } fixedRate)
        {
            return CreditRate.PerWholeUnit(fixedRate, WatchedChain.EtherDecimals);
        }

        var feed = chain.PriceFeed ?? throw new InvalidOperationException($"ETH is not priced on chain {chain.ChainId}.");
        try
        {
            var decimals = AbiDecoder.UInt256(await chain.Rpc.CallAsync(feed, Decimals, BlockTag.Latest, cancellationToken), 0);
            var round = await chain.Rpc.CallAsync(feed, LatestRoundData, BlockTag.Latest, cancellationToken);
            var answer = AbiDecoder.Int256(round, 1);
            var updatedAt = AbiDecoder.UInt256(round, 3);
            var now = time.GetUtcNow();
            if (answer.Sign <= 0 || decimals > 36)
            {
                throw LedgerException.Unavailable($"The ETH price feed on chain {chain.ChainId} answers no usable price.");
            }

            // An update time of 0 (no round), or ahead of this clock by more than blocks' timestamps drift, is no
            // evidence of a fresh price: a negative age would otherwise pass any bound.
            if (updatedAt.IsZero || updatedAt > now.ToUnixTimeSeconds() + MaxClockSkewSeconds)
            {
                throw LedgerException.Unavailable($"The ETH price feed on chain {chain.ChainId} answers an update time that is not in the past ({updatedAt}).");
            }

            var age = now - DateTimeOffset.FromUnixTimeSeconds((long)updatedAt);

            if (age > chain.Settings.Eth.MaxPriceAge)
            {
                throw LedgerException.Unavailable($"The ETH price on chain {chain.ChainId} is {age.TotalMinutes:F0} minutes old; at most {chain.Settings.Eth.MaxPriceAge.TotalMinutes:F0} are allowed.");
            }

            return CreditRate.FromUsdPrice(answer, (int)decimals, chain.Settings.Eth.CreditsPerUsd!.Value);
        }
        catch (ChainRpcException failed)
        {
            throw LedgerException.Unavailable($"The ETH price feed on chain {chain.ChainId} could not be read ({failed.Kind}).");
        }
        catch (FormatException)
        {
            throw LedgerException.Unavailable($"The ETH price feed on chain {chain.ChainId} answered something that is not a price.");
        }
    }
}
