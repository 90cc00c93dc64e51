namespace Grid.Gateway.Dashboard;

/// <summary>A watched chain as its watcher last reported itself; a configured chain with no report yet has only its id.</summary>
/// <param name="Lag">Blocks between the head and the last scanned block.</param>
/// <param name="Pending">Deposits waiting for their confirmations.</param>
/// <param name="Failing">The watcher's last tick failed (the node or a payment; its log says why).</param>
public sealed record ChainStatus(ulong ChainId, ulong? Head, ulong? Cursor, ulong? Lag, long? Pending, bool Failing, DateTimeOffset? ReportedAt);
