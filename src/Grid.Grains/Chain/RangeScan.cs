namespace Grid.Grains.Chain;

/// <summary>What one range of a watcher's scan came to.</summary>
/// <param name="GoOn">False when the chain moved under the scan: the next tick looks again.</param>
/// <param name="LinkedPastStop">
/// The last block the range read and linked by hash past a block whose logs lag (the scan stopped before that one):
/// deposits already found below it count their depth to it, as the range's own do. Zero when it did not stop that way.
/// </param>
internal readonly record struct RangeScan(bool GoOn, ulong LinkedPastStop)
{
    public static RangeScan Next => new(GoOn: true, LinkedPastStop: 0);

    public static RangeScan Stop => new(GoOn: false, LinkedPastStop: 0);
}
