using System.Diagnostics.Metrics;
using Grid.Runtime.Hosting;

namespace Grid.Runtime.Metrics;

/// <summary>
/// Reads the runtime's counters: snapshots for the gateway and dashboard, and instruments on the
/// "Grid.Runtime" meter. Calls and activations are observable instruments (the activations' own cheap
/// counters, read only when someone collects); call durations are a histogram of the sampled calls.
/// </summary>
public sealed class GrainRuntimeMetrics : IDisposable
{
    public const string MeterName = "Grid.Runtime";
    public const string GrainTag = "grain";
    public const string MethodTag = "method";
    public const string OutcomeTag = "outcome";

    private readonly GrainTypeRegistry _registry;
    private readonly Meter _meter;
    private readonly Histogram<double> _callDuration;

    public GrainRuntimeMetrics(GrainTypeRegistry registry, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _registry = registry;
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("grid.grain.activations", ObserveActivations, unit: "{activation}", description: "Live activations on this silo by grain type.");
        _meter.CreateObservableCounter(
            "grid.grain.calls", ObserveCalls, unit: "{call}", description: "Grain calls run on this silo by grain type, method and outcome (error: the call threw).");
        _callDuration = _meter.CreateHistogram(
            "grid.grain.call.duration",
            unit: "s",
            description: "Duration of sampled grain calls (each activation's first call and one in 256 after it), from dispatch to completion.",
            tags: null,
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
            });
    }

    public IReadOnlyList<GrainTypeSnapshot> Snapshot() =>
        _registry.Types.Select(t => t.Stats.Snapshot()).OrderBy(t => t.GrainType, StringComparer.Ordinal).ToArray();

    public void Dispose() => _meter.Dispose();

    /// <summary>A sampled call's time; the tags were built with the method's stats, so nothing is allocated here.</summary>
    internal void RecordCallDuration(MethodStats method, TimeSpan elapsed)
    {
        if (_callDuration.Enabled)
        {
            _callDuration.Record(elapsed.TotalSeconds, method.Tags);
        }
    }

    private IEnumerable<Measurement<long>> ObserveActivations() =>
        _registry.Types.Select(t => new Measurement<long>(t.Stats.Activations, new KeyValuePair<string, object?>(GrainTag, t.Name)));

    private IEnumerable<Measurement<long>> ObserveCalls()
    {
        foreach (var type in Snapshot())
        {
            foreach (var method in type.Methods)
            {
                var label = GrainMethodLabel.Of(method.Interface, method.Method);
                yield return Calls(method.Calls - method.Errors, type.GrainType, label, "ok");
                yield return Calls(method.Errors, type.GrainType, label, "error");
            }
        }
    }

    private static Measurement<long> Calls(long value, string grainType, string method, string outcome) =>
        new(value, new KeyValuePair<string, object?>(GrainTag, grainType), new KeyValuePair<string, object?>(MethodTag, method), new KeyValuePair<string, object?>(OutcomeTag, outcome));
}
