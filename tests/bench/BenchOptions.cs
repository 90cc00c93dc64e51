using System.Globalization;

namespace Grid.Bench;

/// <summary>Command-line options shared by the benchmarks: --seconds, --rounds, --callers, --keys.</summary>
public sealed record BenchOptions(TimeSpan Duration, TimeSpan Warmup, int Rounds, int Callers, int Keys)
{
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected an option, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        if (args.Count % 2 != 0)
        {
            throw new ArgumentException($"Option '{args[^1]}' needs a value.");
        }

        int Int(string name, int fallback) => values.Remove(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var options = new BenchOptions(
            TimeSpan.FromSeconds(Int("seconds", 10)),
            TimeSpan.FromSeconds(Int("warmup", 2)),
            Int("rounds", 10),
            Int("callers", 64),
            Int("keys", 1000));
        return values.Count == 0 ? options : throw new ArgumentException($"Unknown option(s): {string.Join(", ", values.Keys.Select(k => "--" + k))}.");
    }
}
