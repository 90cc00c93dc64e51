using System.Collections.Concurrent;
using System.Globalization;

namespace Grid.Gateway.Metrics;

/// <summary>
/// The series of one metric, found by their tags without allocating: a lock-free lookup by a hash of the
/// tag values, then an element-wise comparison. Only a label set seen for the first time takes the lock.
/// At most <c>maxSeries</c> label sets are kept; measurements for further ones are dropped and counted.
/// </summary>
internal sealed class SeriesTable<TSeries>(int maxSeries, Func<TSeries> create)
    where TSeries : class
{
    private readonly ConcurrentDictionary<int, Entry[]> _byHash = new();
    private readonly Lock _addLock = new();
    private readonly Dictionary<string, TSeries> _byLabels = new(StringComparer.Ordinal); // guarded by _addLock
    private volatile LabeledSeries[] _series = [];
    private volatile bool _full;
    private long _dropped;

    /// <summary>Measurements dropped because the metric already had its maximum number of label sets.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Every series with its rendered labels (sorted by label name), in the order they appeared.</summary>
    public IReadOnlyList<LabeledSeries> Series => _series;

    /// <summary>The series of these tags, created if new; null when it would be one too many.</summary>
    public TSeries? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = Hash(tags);
        if (_byHash.TryGetValue(hash, out var entries))
        {
            foreach (var entry in entries)
            {
                if (entry.Matches(tags))
                {
                    return entry.Series;
                }
            }
        }

        if (_full)
        {
            Interlocked.Increment(ref _dropped);
            return null;
        }

        return Add(hash, tags);
    }

    private TSeries? Add(int hash, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_addLock)
        {
            var entries = _byHash.GetValueOrDefault(hash) ?? [];
            foreach (var entry in entries)
            {
                if (entry.Matches(tags))
                {
                    return entry.Series;
                }
            }

            // The same labels in another order are the same series: only the lookup entry is new.
            var labels = Render(tags, out var pairs);
            if (!_byLabels.TryGetValue(labels, out var series))
            {
                if (_byLabels.Count >= maxSeries)
                {
                    _full = true;
                    Interlocked.Increment(ref _dropped);
                    return null;
                }

                series = create();
                _byLabels.Add(labels, series);
                _series = [.. _series, new LabeledSeries(labels, series, pairs)];
            }

            _byHash[hash] = [.. entries, new Entry(tags.ToArray(), series)];
            return series;
        }
    }

    // Independent of tag order, so every order of one label set lands in the same bucket.
    private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var (key, value) in tags)
        {
            hash += HashCode.Combine(key, value);
        }

        return hash;
    }

    private static string Render(ReadOnlySpan<KeyValuePair<string, object?>> tags, out IReadOnlyDictionary<string, string> pairs)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            labels[PrometheusNames.Sanitize(key)] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        pairs = labels;
        return PrometheusTextWriter.RenderLabels(labels);
    }

    /// <summary>A series and its labels: as the exposition writes them, and by name (for the dashboard).</summary>
    public sealed record LabeledSeries(string Labels, TSeries Series, IReadOnlyDictionary<string, string> LabelValues);

    private sealed class Entry(KeyValuePair<string, object?>[] tags, TSeries series)
    {
        public TSeries Series { get; } = series;

        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> other)
        {
            if (other.Length != tags.Length)
            {
                return false;
            }

            for (var i = 0; i < tags.Length; i++)
            {
                var (key, value) = tags[i];
                if (!string.Equals(key, other[i].Key, StringComparison.Ordinal) || !Equals(value, other[i].Value))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
