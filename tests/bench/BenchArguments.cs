using System.Globalization;

namespace Grid.Bench;

/// <summary>
/// The <c>--name value</c> pairs after a benchmark's name. Each option is taken once by the benchmark
/// that knows it; <see cref="EnsureAllTaken"/> then refuses anything left over, so a typo is an error.
/// </summary>
public sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public BenchArguments(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count % 2 != 0)
        {
            throw new ArgumentException($"Option '{args[^1]}' needs a value.");
        }

        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected an option, got '{args[i]}'.");
            }

            _values[args[i][2..]] = args[i + 1];
        }
    }

    public string Text(string name, string fallback) => _values.Remove(name, out var value) ? value : fallback;

    public int Int(string name, int fallback, int min = 1)
    {
        if (!_values.Remove(name, out var value))
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= min
            ? parsed
            : throw new ArgumentException($"--{name} must be a whole number of at least {min}, got '{value}'.");
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned as spelled there.</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        var value = Text(name, fallback);
        return allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"--{name} must be one of {string.Join(", ", allowed)}, got '{value}'.");
    }

    public void EnsureAllTaken()
    {
        if (_values.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", _values.Keys.Select(k => "--" + k))}.");
        }
    }
}
