namespace Grid.Gateway.Tests.Support;

/// <summary>One sample line of a scrape: metric name, labels, value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool HasExactly((string Name, string Value)[] labels) =>
        Labels.Count == labels.Length && labels.All(l => Labels.TryGetValue(l.Name, out var value) && value == l.Value);

    /// <summary>The labels as one comparable string, leaving out <paramref name="except"/>.</summary>
    public string Key(string? except = null) =>
        string.Join(",", Labels.Where(l => l.Key != except).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}
