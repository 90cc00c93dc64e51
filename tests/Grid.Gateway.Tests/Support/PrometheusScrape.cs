using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Grid.Gateway.Tests.Support;

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4, written for the tests: it fails on anything a
/// scraper could misread. Every sample is <c>name{labels} value</c> and belongs to the family whose
/// <c># TYPE</c> came before it (families are not interleaved); counters end in <c>_total</c>; a histogram's
/// buckets rise in <c>le</c>, are cumulative and end at <c>+Inf</c> equal to its <c>_count</c>; no sample repeats.
/// </summary>
public sealed partial class PrometheusScrape
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly List<PrometheusSample> _samples = [];

    private PrometheusScrape()
    {
    }

    /// <summary>Family name to type.</summary>
    public IReadOnlyDictionary<string, string> Families => _types;

    public IReadOnlyList<PrometheusSample> Samples => _samples;

    /// <summary>The sample with exactly these labels; 0 when there is none (a series not yet seen).</summary>
    public double Value(string name, params (string Name, string Value)[] labels) =>
        _samples.SingleOrDefault(s => s.Name == name && s.HasExactly(labels))?.Value ?? 0;

    /// <summary>The sum over every sample of the metric that has at least these labels.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Name) == l.Value)).Sum(s => s.Value);

    public static PrometheusScrape Parse(string text)
    {
        var scrape = new PrometheusScrape();
        var help = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? family = null;
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the exposition ends with a line feed");
        var lines = text.Split('\n');
        for (var number = 1; number <= lines.Length - 1; number++)
        {
            var line = lines[number - 1];
            var where = $"line {number}: {line}";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var name = line["# HELP ".Length..].Split(' ', 2)[0];
                Assert.True(MetricName().IsMatch(name), where);
                Assert.True(help.Add(name), $"HELP repeated, {where}");
                Assert.False(scrape._types.ContainsKey(name), $"HELP after TYPE, {where}");
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.True(parts.Length == 4 && MetricName().IsMatch(parts[2]) && Types.Contains(parts[3]), where);
                Assert.True(scrape._types.TryAdd(parts[2], parts[3]), $"TYPE repeated, {where}");
                Assert.True(parts[3] != "counter" || parts[2].EndsWith("_total", StringComparison.Ordinal), $"a counter ends in _total, {where}");
                family = parts[2];
                continue;
            }

            Assert.False(line.StartsWith('#'), $"unexpected comment, {where}");
            var sample = ParseSample(line, where);
            Assert.True(family is not null && BelongsTo(sample.Name, family, scrape._types[family]), $"sample outside its family's block, {where}");
            Assert.True(seen.Add(sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)) + "}"), $"sample repeated, {where}");
            Assert.True(scrape._types[family] != "counter" || sample.Value >= 0, $"negative counter, {where}");
            scrape._samples.Add(sample);
        }

        foreach (var (name, type) in scrape._types.Where(t => t.Value == "histogram"))
        {
            scrape.CheckHistogram(name);
        }

        return scrape;
    }

    private void CheckHistogram(string name)
    {
        var series = _samples.Where(s => s.Name == name + "_bucket").GroupBy(s => s.Key(except: "le"));
        foreach (var buckets in series)
        {
            var bounds = buckets.Select(b => ParseValue(b.Labels["le"], $"le of {name}")).ToArray();
            var counts = buckets.Select(b => b.Value).ToArray();
            for (var i = 1; i < bounds.Length; i++)
            {
                Assert.True(bounds[i] > bounds[i - 1], $"{name}{{{buckets.Key}}}: le rises");
                Assert.True(counts[i] >= counts[i - 1], $"{name}{{{buckets.Key}}}: buckets are cumulative");
            }

            Assert.True(double.IsPositiveInfinity(bounds[^1]), $"{name}{{{buckets.Key}}}: the last bucket is +Inf");
            var count = _samples.Single(s => s.Name == name + "_count" && s.Key() == buckets.Key);
            Assert.Equal(counts[^1], count.Value);
            Assert.Single(_samples, s => s.Name == name + "_sum" && s.Key() == buckets.Key);
        }

        Assert.Equal(
            _samples.Where(s => s.Name == name + "_count").Select(s => s.Key()).Order(StringComparer.Ordinal),
            series.Select(s => s.Key).Order(StringComparer.Ordinal));
    }

    private static bool BelongsTo(string sample, string family, string type) =>
        type is "histogram" or "summary"
            ? sample == family + "_bucket" || sample == family + "_sum" || sample == family + "_count" || (type == "summary" && sample == family)
            : sample == family;

    private static PrometheusSample ParseSample(string line, string where)
    {
        var match = SampleLine().Match(line);
        Assert.True(match.Success, $"not a sample line, {where}");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (match.Groups["labels"].Success)
        {
            var text = match.Groups["labels"].Value;
            var i = 0;
            while (i < text.Length)
            {
                var equals = text.IndexOf('=', i);
                Assert.True(equals > i, $"label without a name, {where}");
                var label = text[i..equals];
                Assert.True(LabelName().IsMatch(label), $"bad label name '{label}', {where}");
                Assert.True(equals + 1 < text.Length && text[equals + 1] == '"', $"label value not quoted, {where}");
                var value = new StringBuilder();
                var j = equals + 2;
                for (; j < text.Length && text[j] != '"'; j++)
                {
                    if (text[j] == '\\')
                    {
                        Assert.True(j + 1 < text.Length, $"dangling escape, {where}");
                        value.Append(text[++j] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            var other => throw new Xunit.Sdk.XunitException($"bad escape \\{other}, {where}"),
                        });
                    }
                    else
                    {
                        value.Append(text[j]);
                    }
                }

                Assert.True(j < text.Length, $"unterminated label value, {where}");
                Assert.True(labels.TryAdd(label, value.ToString()), $"label repeated, {where}");
                i = j + 1;
                if (i < text.Length)
                {
                    Assert.True(text[i] == ',', $"labels are separated by commas, {where}");
                    i++;
                }
            }
        }

        return new PrometheusSample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value, where));
    }

    private static double ParseValue(string text, string where) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw new Xunit.Sdk.XunitException($"bad value '{text}', {where}"),
    };

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    // A quoted label value may hold '}' and spaces, so the label block runs to the last '}' before the value.
    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)( -?[0-9]+)?$""")]
    private static partial Regex SampleLine();
}
