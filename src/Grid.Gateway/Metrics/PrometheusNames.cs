using System.Diagnostics.Metrics;
using System.Text;

namespace Grid.Gateway.Metrics;

/// <summary>
/// How instrument names become Prometheus names: characters outside <c>[a-zA-Z0-9_]</c> become <c>_</c>
/// (so <c>grid.http.requests</c> is <c>grid_http_requests</c>), a unit of seconds adds <c>_seconds</c>,
/// and counters end in <c>_total</c>.
/// </summary>
public static class PrometheusNames
{
    public static string MetricName(string instrumentName, string? unit, bool isCounter)
    {
        var name = Sanitize(instrumentName);
        if (unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }

        if (isCounter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    public static string MetricName(Instrument instrument, bool isCounter)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        return MetricName(instrument.Name, instrument.Unit, isCounter);
    }

    /// <summary>A valid metric or label name: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    public static string Sanitize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var result = new StringBuilder(name.Length + 1);
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            result.Append('_');
        }

        foreach (var c in name)
        {
            result.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return result.ToString();
    }
}
