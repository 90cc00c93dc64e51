using System.Numerics;
using Grid.Chain.Abi;
using Grid.Chain.Primitives;
using Grid.Chain.Rpc;

namespace Grid.Grains.Chain;

/// <summary>
/// What the configuration says about contracts, checked against the chain: the deposit contract forwards to the
/// configured treasury, and each listed token has the configured decimals. Credits are reckoned from these: a token
/// listed with 6 decimals that has 18 (USDC on BNB Chain) would credit 10^12 times what was paid, and a deposit
/// contract forwarding elsewhere would credit money the treasury never got.
/// </summary>
internal static class ConfiguredContracts
{
    private static readonly byte[] TreasurySelector = AbiSignatures.FunctionSelector("treasury()");
    private static readonly byte[] DecimalsSelector = AbiSignatures.FunctionSelector("decimals()");

    /// <summary>
    /// The disagreements found (nothing may be scanned while there is one), and what could not be checked: a contract
    /// that does not answer the getter (<c>decimals()</c> is optional in ERC-20). A node that cannot answer now throws.
    /// </summary>
    public static async Task<ContractCheck> CheckAsync(WatchedChain chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var mismatches = new List<string>();
        var unverified = new List<string>();
        var answer = await CallAsync(chain, chain.DepositContract, TreasurySelector, cancellationToken);
        switch (Decoded(answer, static a => AbiDecoder.Address(a, 0)))
        {
            case null:
                unverified.Add($"the deposit contract {chain.DepositContract} does not answer treasury()");
                break;
            case var treasury when treasury != chain.Treasury:
                mismatches.Add($"the deposit contract {chain.DepositContract} forwards to {treasury}, not the configured treasury {chain.Treasury}");
                break;
        }

        foreach (var token in chain.Tokens)
        {
            var decimalsAnswer = await CallAsync(chain, token.Address, DecimalsSelector, cancellationToken);
            switch (Decoded(decimalsAnswer, static a => (BigInteger?)AbiDecoder.UInt256(a, 0)))
            {
                case null:
                    unverified.Add($"token {token.Symbol} ({token.Address}) does not answer decimals()");
                    break;
                case var decimals when decimals != token.Decimals:
                    mismatches.Add($"token {token.Symbol} ({token.Address}) has {decimals} decimals, not the configured {token.Decimals}");
                    break;
            }
        }

        return new ContractCheck(mismatches, unverified);
    }

    /// <summary>
    /// The getter's answer; null when the contract reverts the call. Any other refusal (a node that has not seen the block
    /// yet, a provider's 403) is thrown: taken for "the contract does not answer", it would let the check go for the
    /// activation's life, and a token's wrong decimals with it.
    /// </summary>
    private static async Task<byte[]?> CallAsync(
        WatchedChain chain, Grid.Chain.Addresses.EthereumAddress contract, byte[] selector, CancellationToken cancellationToken)
    {
        try
        {
            return await chain.Rpc.CallAsync(contract, selector, BlockTag.Latest, cancellationToken);
        }
        catch (ChainRpcException refused) when (refused.IsRevert)
        {
            return null;
        }
    }

    /// <summary>The answer decoded; null when there is none or it is not what the getter returns (no code at the address answers nothing).</summary>
    private static T? Decoded<T>(byte[]? answer, Func<byte[], T?> decode)
    {
        try
        {
            return answer is null ? default : decode(answer);
        }
        catch (FormatException)
        {
            return default;
        }
    }
}
