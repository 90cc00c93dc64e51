using Grid.Runtime.Metrics;

namespace Grid.Gateway.Dashboard;

/// <summary>
/// Turns successive <see cref="ClusterSample"/>s into <see cref="DashboardFrame"/>s: rates from the difference to the
/// previous sample, latency quantiles from the difference to the oldest sample of the last minute (all of them when
/// the minute sampled none), CPU from each
/// silo's processor time. Counters that went down (a silo restarted or left) count as zero, never as negative.
/// </summary>
internal sealed class FrameCalculator(TimeSpan interval)
{
    private static readonly TimeSpan QuantileWindow = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, SiloReading> _previousSilos = new(StringComparer.Ordinal);
    private readonly Queue<Totals> _window = new();
    private readonly Dictionary<string, long> _feedCursors = new(StringComparer.Ordinal);
    private Totals? _previous;

    /// <summary>The feed entry number to ask a silo for entries after.</summary>
    public long FeedCursor(string siloId) => _feedCursors.GetValueOrDefault(siloId);

    public DashboardFrame Next(ClusterSample sample, SamplerState sampler)
    {
        var readings = new List<SiloReading> { sample.Self };
        readings.AddRange(sample.Others.Where(o => o.Reading is not null).Select(o => o.Reading!));
        var at = sample.Self.At;

        var silos = new List<SiloStatus> { Status(sample.Self, self: true) };
        silos.AddRange(sample.Others.Select(o => o.Reading is { } reading
            ? Status(reading, self: false)
            : new SiloStatus(o.Silo.SiloId, o.Silo.Name, "unreachable", false, null, null, null, null)));
        foreach (var reading in readings)
        {
            _previousSilos[reading.SiloId] = reading;
        }

        var totals = Totals.Of(at, readings);
        var previous = _previous;
        var seconds = previous is null ? (double?)null : Math.Max((at - previous.At).TotalSeconds, 0.001);
        while (_window.Count > 0 && at - _window.Peek().At > QuantileWindow)
        {
            _window.Dequeue();
        }

        var oldest = _window.Count > 0 ? _window.Peek() : null;
        _window.Enqueue(totals);
        _previous = totals;

        var methods = totals.Methods.Select(pair =>
        {
            var (grain, method) = pair.Key;
            var now = pair.Value;
            var before = previous?.Methods.GetValueOrDefault(pair.Key);
            var windowStart = oldest?.Methods.GetValueOrDefault(pair.Key);
            // Calls are sampled (each activation's first, then one in 256): a quiet minute may hold none, and then
            // the quantiles since the silo started say more than a blank.
            var latency = Difference(now.Buckets, windowStart?.Buckets);
            if (latency.Sum() == 0)
            {
                latency = now.Buckets;
            }

            return new MethodRate(
                grain, method, now.Calls, now.Errors,
                seconds is { } s ? Positive(now.Calls - (before?.Calls ?? 0)) / s : null,
                seconds is { } e ? Positive(now.Errors - (before?.Errors ?? 0)) / e : null,
                RuntimeQuantileMs(latency, 0.5),
                RuntimeQuantileMs(latency, 0.99));
        }).OrderByDescending(m => m.Calls).ThenBy(m => m.Method, StringComparer.Ordinal).ToArray();

        var batches = Difference(totals.BatchCounts, previous?.BatchCounts);
        var batchCount = batches.Sum();
        var storage = Difference(totals.AppendCounts, oldest?.AppendCounts);
        var journal = new JournalRate(
            totals.Appends,
            seconds is { } j ? Positive(totals.Appends - previous!.Appends) / j : null,
            batchCount > 0 && previous is not null ? Math.Max(0, totals.BatchSum - previous.BatchSum) / batchCount : null,
            HistogramQuantileMs(totals.AppendBounds, storage, 0.5),
            HistogramQuantileMs(totals.AppendBounds, storage, 0.99));

        var feed = readings.SelectMany(r =>
        {
            if (r.Feed.Count > 0)
            {
                _feedCursors[r.SiloId] = r.Feed.Max(f => f.Number);
            }

            return r.Feed;
        }).OrderByDescending(f => f.At).ToArray();

        // The silo that runs a watcher reported last; one it moved away from keeps an older report.
        var reports = readings.SelectMany(r => r.Chains)
            .GroupBy(c => c.ChainId)
            .ToDictionary(g => g.Key, g => g.MaxBy(c => c.ReportedAt)!);
        var chains = reports.Keys.Union(sample.ConfiguredChains).Order().Select(id => reports.TryGetValue(id, out var c)
            ? new ChainStatus(id, c.Head, c.Cursor, c.Cursor is { } cursor && c.Head >= cursor ? c.Head - cursor : null, c.Pending, c.Failing, c.ReportedAt)
            : new ChainStatus(id, null, null, null, null, false, null)).ToArray();

        var webhooks = readings.SelectMany(r => r.Webhooks)
            .GroupBy(w => (w.Provider, w.Type, w.Outcome))
            .Select(g => new WebhookReading(g.Key.Provider, g.Key.Type, g.Key.Outcome, g.Sum(w => w.Count)))
            .OrderBy(w => w.Provider, StringComparer.Ordinal).ThenBy(w => w.Type, StringComparer.Ordinal).ThenBy(w => w.Outcome, StringComparer.Ordinal)
            .ToArray();

        var activations = readings.SelectMany(r => r.ActivationsByType)
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal);

        return new DashboardFrame(at, seconds ?? interval.TotalSeconds, silos, activations, methods, journal, chains, webhooks, feed, sampler);

        SiloStatus Status(SiloReading reading, bool self)
        {
            double? cpu = null;
            if (_previousSilos.TryGetValue(reading.SiloId, out var before) && reading.At > before.At && reading.CpuSeconds >= before.CpuSeconds)
            {
                cpu = Math.Round(100 * (reading.CpuSeconds - before.CpuSeconds) / ((reading.At - before.At).TotalSeconds * Math.Max(1, reading.Processors)), 1);
            }

            return new SiloStatus(
                reading.SiloId, reading.Name, "active", self, Math.Round((reading.At - reading.StartedAt).TotalSeconds, 1), cpu, reading.MemoryBytes,
                reading.ActivationsByType.Values.Sum());
        }
    }

    private static double Positive(long delta) => Math.Max(0, delta);

    private static long[] Difference(long[] now, long[]? before)
    {
        var result = new long[now.Length];
        for (var i = 0; i < now.Length; i++)
        {
            result[i] = Math.Max(0, now[i] - (before is not null && i < before.Length ? before[i] : 0));
        }

        return result;
    }

    /// <summary>The runtime's buckets: bucket i holds calls under 2^i µs; the answer is that bound in ms.</summary>
    private static double? RuntimeQuantileMs(long[] buckets, double quantile)
    {
        var index = BucketQuantiles.Index(buckets, quantile);
        return index is { } i ? Math.Pow(2, Math.Min(i, buckets.Length - 2)) / 1000.0 : null;
    }

    /// <summary>A histogram with bounds in seconds; the answer is the bucket's upper bound in ms (the last bound for the overflow bucket).</summary>
    private static double? HistogramQuantileMs(double[] bounds, long[] counts, double quantile)
    {
        var index = BucketQuantiles.Index(counts, quantile);
        return index is { } i && bounds.Length > 0 ? bounds[Math.Min(i, bounds.Length - 1)] * 1000 : null;
    }

    /// <summary>A method's totals over the silos that answered.</summary>
    private sealed record MethodTotals(long Calls, long Errors, long[] Buckets);

    /// <summary>Every counter the rates come from, added up over the silos that answered.</summary>
    private sealed record Totals(
        DateTimeOffset At,
        Dictionary<(string Grain, string Method), MethodTotals> Methods,
        long Appends,
        long[] BatchCounts,
        double BatchSum,
        double[] AppendBounds,
        long[] AppendCounts)
    {
        public static Totals Of(DateTimeOffset at, IReadOnlyList<SiloReading> readings)
        {
            var methods = new Dictionary<(string, string), MethodTotals>();
            foreach (var method in readings.SelectMany(r => r.Methods))
            {
                var key = (method.Grain, method.Method);
                var buckets = method.LatencyBuckets.ToArray();
                if (methods.TryGetValue(key, out var known))
                {
                    for (var i = 0; i < Math.Min(buckets.Length, known.Buckets.Length); i++)
                    {
                        buckets[i] += known.Buckets[i];
                    }

                    methods[key] = new MethodTotals(known.Calls + method.Calls, known.Errors + method.Errors, buckets);
                }
                else
                {
                    methods[key] = new MethodTotals(method.Calls, method.Errors, buckets);
                }
            }

            return new Totals(
                at,
                methods,
                readings.Sum(r => r.JournalAppends),
                AddUp(readings.Select(r => r.AppendBatchSizes)),
                readings.Sum(r => r.AppendBatchSizes.Sum),
                readings.Select(r => r.AppendSeconds.Bounds).FirstOrDefault(b => b.Count > 0)?.ToArray() ?? [],
                AddUp(readings.Select(r => r.AppendSeconds)));
        }

        // Silos run the same build, so their histograms share bounds; one that does not is left out rather than misread.
        private static long[] AddUp(IEnumerable<HistogramReading> histograms)
        {
            long[]? sum = null;
            foreach (var histogram in histograms.Where(h => h.Counts.Count > 1))
            {
                sum ??= new long[histogram.Counts.Count];
                if (histogram.Counts.Count != sum.Length)
                {
                    continue;
                }

                for (var i = 0; i < sum.Length; i++)
                {
                    sum[i] += histogram.Counts[i];
                }
            }

            return sum ?? [0];
        }
    }
}
