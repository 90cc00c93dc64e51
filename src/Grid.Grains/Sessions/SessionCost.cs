using Grid.Ledger.Credits;

namespace Grid.Grains.Sessions;

/// <summary>
/// The rounding rule: the cost of the first <c>n</c> units is <c>ceil(n x price)</c> whole credits, so a checkpoint
/// costs the difference of two such totals and the checkpoints add up to the total exactly. The host's share is
/// rounded the same way, on the running total: of the first <c>c</c> credits charged the host gets
/// <c>floor(c x percent / 100)</c>, so a checkpoint pays it the difference of two such totals and the treasury the
/// rest. Rounded per checkpoint instead, 1-credit checkpoints at 90% would pay the host nothing at all.
/// </summary>
public static class SessionCost
{
    /// <summary>A decimal, compared with the deposit before it becomes an amount (units and price are bounded so it never overflows).</summary>
    public static decimal Cumulative(long units, decimal pricePerUnit) => DecimalProduct.Ceiling(units, pricePerUnit);

    /// <summary>The host's share of a checkpoint that brings the session's charges from <paramref name="chargedBefore"/> to <paramref name="chargedAfter"/>.</summary>
    public static long HostShare(long chargedBefore, long chargedAfter, int hostSharePercent) =>
        HostTotal(chargedAfter, hostSharePercent) - HostTotal(chargedBefore, hostSharePercent);

    // Charges are at most the deposit (an amount, under 2^53) and the percent at most 100: the product fits a long.
    private static long HostTotal(long charged, int hostSharePercent) => checked(charged * hostSharePercent / 100);
}
