using System.Diagnostics.Metrics;
using Grid.Gateway.Metrics;
using Grid.Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grid.Gateway.Tests;

/// <summary>
/// The collector behind /metrics on its own: what each kind of instrument becomes in the text format,
/// escaping, histogram buckets, the bound on series, and which meters it listens to.
/// </summary>
public sealed class PrometheusCollectorTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    public void Dispose() => _services.Dispose();

    private PrometheusCollector Collector(int maxSeries = PrometheusCollector.MaxSeriesPerMetric) =>
        new(Meters, NullLogger<PrometheusCollector>.Instance, maxSeries);

    [Fact]
    public void Counters_gauges_and_histograms_are_written_with_help_type_and_escaped_labels()
    {
        using var collector = Collector();
        var meter = Meters.Create("Grid.Test");
        var calls = meter.CreateCounter<long>("grid.test.calls", unit: "{call}", description: "Calls.\nSecond line with a \\ backslash.");
        var duration = meter.CreateHistogram("grid.test.duration", unit: "s", description: "Duration.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        var level = 7L;
        meter.CreateObservableGauge("grid.test.level", () => level, description: "Level.");

        calls.Add(2, new KeyValuePair<string, object?>("path", "a\"b\\c\nd"), new KeyValuePair<string, object?>("status", 200));
        calls.Add(3, new KeyValuePair<string, object?>("status", 200), new KeyValuePair<string, object?>("path", "a\"b\\c\nd")); // same labels, other order
        duration.Record(0.1); // on a bound: counted in that bound's bucket
        duration.Record(0.5);
        duration.Record(4);
        level = 9;

        Assert.Equal(
            """
            # HELP grid_test_calls_total Calls.\nSecond line with a \\ backslash.
            # TYPE grid_test_calls_total counter
            grid_test_calls_total{path="a\"b\\c\nd",status="200"} 5
            # HELP grid_test_duration_seconds Duration.
            # TYPE grid_test_duration_seconds histogram
            grid_test_duration_seconds_bucket{le="0.1"} 1
            grid_test_duration_seconds_bucket{le="1"} 2
            grid_test_duration_seconds_bucket{le="+Inf"} 3
            grid_test_duration_seconds_sum 4.6
            grid_test_duration_seconds_count 3
            # HELP grid_test_level Level.
            # TYPE grid_test_level gauge
            grid_test_level 9
            # HELP grid_metrics_dropped_measurements_total Measurements dropped because their metric already had 1000 label sets.
            # TYPE grid_metrics_dropped_measurements_total counter

            """.ReplaceLineEndings("\n"),
            collector.Scrape());
    }

    [Fact]
    public void Observable_counters_report_their_current_total_on_every_scrape()
    {
        using var collector = Collector();
        long total = 3;
        Meters.Create("Grid.Test").CreateObservableCounter("grid.test.done", () => new Measurement<long>(total, new KeyValuePair<string, object?>("kind", "x")));

        Assert.Equal(3, PrometheusScrape.Parse(collector.Scrape()).Value("grid_test_done_total", ("kind", "x")));
        total = 10;
        Assert.Equal(10, PrometheusScrape.Parse(collector.Scrape()).Value("grid_test_done_total", ("kind", "x")));
    }

    [Fact]
    public void Label_sets_beyond_the_bound_are_dropped_and_counted()
    {
        using var collector = Collector(maxSeries: 2);
        var counter = Meters.Create("Grid.Test").CreateCounter<long>("grid.test.hits");
        foreach (var user in new[] { "a", "b", "c", "d", "a", "d" })
        {
            counter.Add(1, new KeyValuePair<string, object?>("user", user));
        }

        var scrape = PrometheusScrape.Parse(collector.Scrape());
        Assert.Equal(2, scrape.Value("grid_test_hits_total", ("user", "a")));
        Assert.Equal(1, scrape.Value("grid_test_hits_total", ("user", "b")));
        Assert.Equal(2, scrape.Samples.Count(s => s.Name == "grid_test_hits_total"));
        Assert.Equal(3, scrape.Value(PrometheusCollector.DroppedMetricName, ("metric", "grid_test_hits_total")));
    }

    [Fact]
    public void Only_the_grid_meters_of_its_own_host_are_collected()
    {
        using var collector = Collector();
        using var otherHost = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Meters.Create("Grid.Test").CreateCounter<long>("grid.test.mine").Add(1);
        Meters.Create("Microsoft.Test").CreateCounter<long>("grid.test.framework").Add(1);
        otherHost.GetRequiredService<IMeterFactory>().Create("Grid.Test").CreateCounter<long>("grid.test.other").Add(1);
        using var unscoped = new Meter("Grid.Test");
        unscoped.CreateCounter<long>("grid.test.unscoped").Add(1);

        var families = PrometheusScrape.Parse(collector.Scrape()).Families.Keys;
        Assert.Equal(["grid_metrics_dropped_measurements_total", "grid_test_mine_total"], families.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-5, "1E-05")]
    [InlineData(1234567.5, "1234567.5")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Values_are_written_so_that_they_read_back_exactly(double value, string text) =>
        Assert.Equal(text, PrometheusTextWriter.FormatValue(value));
}
