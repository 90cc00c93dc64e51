using System.Numerics;

namespace Grid.Bench.Chain;

/// <summary>
/// One walk-in deposit of the catch-up chain: who pays, in which block, in ETH (<paramref name="IsToken"/> false) or
/// the test token, the amount in wei or token units, and the credits it must bring the payer's guest account.
/// </summary>
public sealed record PlannedDeposit(int Index, string Payer, long Block, bool IsToken, BigInteger Amount, long Credits)
{
    /// <summary>The mined transaction, once sent.</summary>
    public string? TransactionHash { get; init; }
}
