using System.Diagnostics.Metrics;
using Grid.Runtime.Hosting;

namespace Grid.Runtime.Metrics;

/// <summary>
/// Reads the runtime's counters: snapshots for the gateway and dashboard, and observable instruments on
/// the "Grid.Runtime" meter for OpenTelemetry. Observable instruments cost nothing until someone reads them.
/// </summary>
public sealed class GrainRuntimeMetrics : IDisposable
{
    public const string MeterName = "Grid.Runtime";

    private readonly GrainTypeRegistry _registry;
    private readonly Meter _meter;

    public GrainRuntimeMetrics(GrainTypeRegistry registry, IMeterFactory meterFactory)
    {
        _registry = registry;
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("grid.grain.activations", ObserveActivations, description: "Live activations by grain type.");
        _meter.CreateObservableCounter("grid.grain.calls", () => ObserveMethods(static m => m.Calls), description: "Grain calls by type and method.");
        _meter.CreateObservableCounter("grid.grain.errors", () => ObserveMethods(static m => m.Errors), description: "Failed grain calls by type and method.");
    }

    public IReadOnlyList<GrainTypeSnapshot> Snapshot() =>
        _registry.Types.Select(t => t.Stats.Snapshot()).OrderBy(t => t.GrainType, StringComparer.Ordinal).ToArray();

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveActivations() =>
        _registry.Types.Select(t => new Measurement<long>(t.Stats.Activations, new KeyValuePair<string, object?>("grain_type", t.Name)));

    private IEnumerable<Measurement<long>> ObserveMethods(Func<GrainMethodSnapshot, long> value) =>
        Snapshot().SelectMany(t => t.Methods.Select(m => new Measurement<long>(
            value(m),
            new KeyValuePair<string, object?>("grain_type", t.GrainType),
            new KeyValuePair<string, object?>("method", m.Interface + "." + m.Method))));
}
