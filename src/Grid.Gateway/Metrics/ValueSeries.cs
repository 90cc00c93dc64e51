namespace Grid.Gateway.Metrics;

/// <summary>The value of one counter or gauge series.</summary>
internal sealed class ValueSeries
{
    private long _bits;

    public double Value => AtomicDouble.Read(ref _bits);

    public void Add(double amount) => AtomicDouble.Add(ref _bits, amount);

    public void Set(double value) => AtomicDouble.Set(ref _bits, value);
}
