using System.Globalization;
using System.Text;

namespace Grid.Gateway.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: <c># HELP</c> and <c># TYPE</c> lines, then one
/// <c>name{labels} value</c> line per sample. Label values and help texts are escaped as the format says.
/// </summary>
public sealed class PrometheusTextWriter(StringBuilder output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void WriteFamily(string name, string type, string help)
    {
        output.Append("# HELP ").Append(name).Append(' ');
        AppendEscaped(help, escapeQuotes: false);
        output.Append('\n');
        output.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <param name="labels">Rendered by <see cref="RenderLabels"/>; empty for none.</param>
    public void WriteSample(string name, string labels, double value)
    {
        output.Append(name);
        if (labels.Length > 0)
        {
            output.Append('{').Append(labels).Append('}');
        }

        output.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    /// <summary>A histogram bucket: <c>name_bucket{labels,le="bound"} count</c>.</summary>
    public void WriteBucket(string name, string labels, double upperBound, long count)
    {
        output.Append(name).Append("_bucket{");
        if (labels.Length > 0)
        {
            output.Append(labels).Append(',');
        }

        output.Append("le=\"").Append(FormatValue(upperBound)).Append("\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary><c>a="x",b="y"</c> for the given pairs, in the given order, values escaped.</summary>
    public static string RenderLabels(IEnumerable<KeyValuePair<string, string>> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var text = new StringBuilder();
        var writer = new PrometheusTextWriter(text);
        foreach (var (name, value) in labels)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(name).Append("=\"");
            writer.AppendEscaped(value, escapeQuotes: true);
            text.Append('"');
        }

        return text.ToString();
    }

    /// <summary>A sample value or bucket bound: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    // Label values escape backslash, double quote and line feed; help texts only backslash and line feed.
    private void AppendEscaped(string text, bool escapeQuotes)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    output.Append(@"\\");
                    break;
                case '\n':
                    output.Append(@"\n");
                    break;
                case '"' when escapeQuotes:
                    output.Append("\\\"");
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }
    }
}
