using System.Runtime.InteropServices;

namespace Grid.Runtime.Metrics;

/// <summary>
/// A counter spread over per-core cells so that hot grain methods counted from every core do not
/// fight over one cache line. Reads sum the cells (slightly racy, as any live counter).
/// </summary>
internal sealed class StripedCounter
{
    private readonly Cell[] _cells = new Cell[Stripes.Count];

    public void Increment() => Interlocked.Increment(ref _cells[Stripes.Current].Value);

    public void Add(long amount) => Interlocked.Add(ref _cells[Stripes.Current].Value, amount);

    public long Read()
    {
        long total = 0;
        for (var i = 0; i < _cells.Length; i++)
        {
            total += Volatile.Read(ref _cells[i].Value);
        }

        return total;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Cell
    {
        [FieldOffset(64)]
        public long Value;
    }
}
