namespace Grid.Grains.Sessions;

/// <summary>
/// The rounding rule: the cost of the first <c>n</c> units is <c>ceil(n x price)</c> whole credits, so a checkpoint
/// costs the difference of two such totals and the checkpoints add up to the total exactly. The host gets
/// <c>floor(cost x percent / 100)</c> and the treasury the rest.
/// </summary>
public static class SessionCost
{
    /// <summary>A decimal, compared with the deposit before it becomes an amount (units and price are bounded so it never overflows).</summary>
    public static decimal Cumulative(long units, decimal pricePerUnit) => decimal.Ceiling(units * pricePerUnit);

    public static long HostShare(long cost, int hostSharePercent) => checked(cost * hostSharePercent / 100);
}
