using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Grid.Grains.Chain;

/// <summary>
/// Gauges of the "Grid.Chain" meter, by chain id, set by a chain's watcher on the silo that runs it after every tick
/// and every range it saves: the head it last saw, the last block it scanned, the deposits waiting for confirmations,
/// whether its last tick failed, and when it last reported (so a reader that gathers silos takes the freshest, a
/// silo the watcher left behind only keeps an older report). A handful of records every poll interval.
/// </summary>
public sealed class ChainWatcherMetrics
{
    public const string MeterName = "Grid.Chain";
    public const string ChainTag = "chain_id";

    private readonly Gauge<long> _head;
    private readonly Gauge<long> _cursor;
    private readonly Gauge<long> _pending;
    private readonly Gauge<long> _failing;
    private readonly Gauge<double> _reportedAt;
    private readonly TimeProvider _time;

    public ChainWatcherMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _time = time;
        var meter = meterFactory.Create(MeterName);
        _head = meter.CreateGauge<long>("grid.chain.head", unit: "{block}", description: "The chain head the watcher last saw.");
        _cursor = meter.CreateGauge<long>("grid.chain.cursor", unit: "{block}", description: "The last block the watcher scanned (-1 before its first scan).");
        _pending = meter.CreateGauge<long>("grid.chain.pending", unit: "{deposit}", description: "Deposits seen on chain whose payment is not done with them yet (waiting for confirmations).");
        _failing = meter.CreateGauge<long>("grid.chain.failing", unit: "1", description: "1 when the watcher's last tick failed (the node or a payment), else 0.");
        _reportedAt = meter.CreateGauge<double>("grid.chain.reported", unit: "s", description: "When the watcher last reported, in Unix seconds.");
    }

    public void Report(ulong chainId, ulong head, ulong? cursor, int pending, bool failing)
    {
        var tags = new TagList { { ChainTag, chainId.ToString(CultureInfo.InvariantCulture) } };
        _head.Record((long)head, tags);
        _cursor.Record(cursor is { } c ? (long)c : -1, tags);
        _pending.Record(pending, tags);
        _failing.Record(failing ? 1 : 0, tags);
        _reportedAt.Record(_time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, tags);
    }
}
