namespace Grid.Gateway.Dashboard;

/// <summary>
/// A chain watcher's last report on one silo (the <c>grid_chain_*</c> gauges): the silo that runs the watcher has the
/// freshest; one it moved away from keeps an older report.
/// </summary>
/// <param name="Cursor">The last block scanned; null before the first scan.</param>
public sealed record ChainReading(ulong ChainId, ulong Head, ulong? Cursor, long Pending, bool Failing, DateTimeOffset ReportedAt);
