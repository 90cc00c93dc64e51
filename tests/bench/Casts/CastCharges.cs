namespace Grid.Bench.Casts;

/// <summary>
/// What one side's clients were told over every run: the acknowledged lifecycles and, per account, the sum of
/// their prices, which the side's journal and balances must show afterwards. Clients add to it concurrently.
/// </summary>
public sealed class CastCharges(int accounts)
{
    private readonly long[] _charged = new long[accounts];
    private long _acknowledged;
    private long _failed;

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Lifecycles that threw: their outcome is unknown, so the check cannot hold them to anything.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public long ChargedTo(int account) => Interlocked.Read(ref _charged[account]);

    public void Acknowledge(int account, long price)
    {
        Interlocked.Add(ref _charged[account], price);
        Interlocked.Increment(ref _acknowledged);
    }

    public void Fail() => Interlocked.Increment(ref _failed);
}
