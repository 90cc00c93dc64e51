using Grid.Runtime.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Grid.Silo.Telemetry;

/// <summary>
/// Sends the silo's meters (every <c>Grid.*</c> meter: grain calls, journal appends, HTTP, payments) and sampled HTTP
/// request traces to an OTLP collector while <see cref="OtlpExportOptions.Endpoint"/> is set. Started with the host;
/// stopping flushes what is buffered, so the last interval's figures are not lost on a graceful shutdown.
/// </summary>
internal sealed class OtlpExport(IOptions<OtlpExportOptions> options, SiloIdentity silo, ILogger<OtlpExport> logger) : IHostedService, IDisposable
{
    public const string ServiceName = "credit-grid";

    /// <summary>The meters exported: the grid's own (the ASP.NET Core and runtime meters stay with /metrics).</summary>
    public const string GridMeters = "Grid.*";

    /// <summary>ASP.NET Core's own source: an activity per HTTP request once something listens.</summary>
    private const string HttpRequestSource = "Microsoft.AspNetCore";

    private readonly OtlpExportOptions _options = options.Value;
    private MeterProvider? _meters;
    private TracerProvider? _traces;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return Task.CompletedTask;
        }

        var resource = ResourceBuilder.CreateEmpty().AddService(ServiceName, serviceInstanceId: silo.Id);
        _meters = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(GridMeters)
            .AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)_options.ExportInterval.TotalMilliseconds;
            })
            .Build();
        var remoteParent = new RandomRatioSampler(_options.TraceSampleRatio); // stateless: one serves both remote cases
        _traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(HttpRequestSource)
            // A remote parent's "sampled" flag, and its trace id, come from any client's traceparent header: obeyed, or
            // sampled by that id, a client could have all its requests traced and exported whatever the ratio. A draw of
            // our own decides for them.
            .SetSampler(new ParentBasedSampler(
                new TraceIdRatioBasedSampler(_options.TraceSampleRatio),
                remoteParentSampled: remoteParent,
                remoteParentNotSampled: remoteParent))
            .AddOtlpExporter(exporter =>
            {
                Configure(exporter, "v1/traces");
                exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)_options.ExportInterval.TotalMilliseconds;
            })
            .Build();
        // The host only: a path or query could carry a collector's token.
        logger.LogInformation("OpenTelemetry export over OTLP ({Protocol}) to {Host}", _options.Protocol, new Uri(_options.Endpoint!).Authority);
        return Task.CompletedTask;
    }

    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Both at once, and never past the host's own stop: a collector out of reach must not eat the time the grains
        // need to deactivate.
        var timeout = (int)FlushTimeout.TotalMilliseconds;
        var flushes = Task.WhenAll(Task.Run(() => _meters?.ForceFlush(timeout), CancellationToken.None), Task.Run(() => _traces?.ForceFlush(timeout), CancellationToken.None));
        try
        {
            await flushes.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time: what was not sent is dropped with the exporter.
        }
    }

    public void Dispose()
    {
        _meters?.Dispose();
        _traces?.Dispose();
    }

    private void Configure(OtlpExporterOptions exporter, string signalPath)
    {
        var endpoint = new Uri(_options.Endpoint!);
        if (_options.Protocol == OtlpExportOptions.HttpProtobuf)
        {
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            // Set in code, the address is used as it is: the signal's path goes on the base address.
            exporter.Endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        }
        else
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
        }

        if (!string.IsNullOrEmpty(_options.Headers))
        {
            exporter.Headers = _options.Headers;
        }
    }
}
