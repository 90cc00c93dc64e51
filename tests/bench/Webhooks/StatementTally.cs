using System.Collections.Concurrent;
using System.Diagnostics;

namespace Grid.Bench.Webhooks;

/// <summary>
/// While it lives, counts the database commands this process sends (Npgsql's activities) by statement, with the
/// time each took from send to result: how many round trips an operation costs, and which ones it waits on.
/// Listening costs a little, so it runs only in its own unmeasured round.
/// </summary>
public sealed class StatementTally : IDisposable
{
    private const string NpgsqlSource = "Npgsql";
    private const int KeyLength = 72;

    private readonly ConcurrentDictionary<string, Tally> _statements = new(StringComparer.Ordinal);
    private readonly ActivityListener _listener;

    public StatementTally()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == NpgsqlSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Commands by statement, most frequent first: how many, and their total time.</summary>
    public IReadOnlyList<(string Statement, long Count, TimeSpan Total)> Statements() =>
        _statements.Select(s => (s.Key, Interlocked.Read(ref s.Value.Count), TimeSpan.FromTicks(Interlocked.Read(ref s.Value.Ticks))))
            .OrderByDescending(s => s.Item2)
            .ToList();

    public void Dispose() => _listener.Dispose();

    private void Stopped(Activity activity)
    {
        var text = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName;
        var tally = _statements.GetOrAdd(Key(text), _ => new Tally());
        Interlocked.Increment(ref tally.Count);
        Interlocked.Add(ref tally.Ticks, activity.Duration.Ticks);
    }

    /// <summary>The statement's start, one line: batched inserts differ only in how many rows follow.</summary>
    private static string Key(string text)
    {
        var line = string.Join(' ', text.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        var values = line.IndexOf(" VALUES", StringComparison.OrdinalIgnoreCase);
        if (values > 0)
        {
            line = line[..values] + " VALUES ...";
        }

        return line.Length <= KeyLength ? line : line[..KeyLength] + "...";
    }

    private sealed class Tally
    {
        public long Count;
        public long Ticks;
    }
}
