using System.Globalization;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Telemetry;

/// <summary>OpenTelemetry export over OTLP (<c>Grid:Telemetry:Otlp</c>); off while <see cref="Endpoint"/> is unset.</summary>
public sealed class OtlpExportOptions
{
    public const string SectionName = "Grid:Telemetry:Otlp";

    public const string HttpProtobuf = "http/protobuf";

    public const string Grpc = "grpc";

    /// <summary>The collector's base address (e.g. http://127.0.0.1:4318); for http/protobuf the signal paths are appended.</summary>
    public string? Endpoint { get; set; }

    /// <summary><see cref="HttpProtobuf"/> or <see cref="Grpc"/>.</summary>
    public string Protocol { get; set; } = HttpProtobuf;

    /// <summary>Headers sent with every export (<c>key=value</c> pairs, comma separated): often a vendor's key, so never logged.</summary>
    public string? Headers { get; set; }

    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The share of HTTP requests traced (0 to 1); a request inside a sampled caller's trace is always traced.</summary>
    public double TraceSampleRatio { get; set; } = 0.1;

    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);

    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        var failures = new List<string>();
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            failures.Add($"{SectionName}:Endpoint must be an absolute http or https address.");
        }

        if (Protocol is not (HttpProtobuf or Grpc))
        {
            failures.Add($"{SectionName}:Protocol must be {HttpProtobuf} or {Grpc}.");
        }

        if (ExportInterval < TimeSpan.FromMilliseconds(100) || ExportInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{SectionName}:ExportInterval must be from 00:00:00.1 to 01:00:00.");
        }

        if (TraceSampleRatio is < 0 or > 1 || double.IsNaN(TraceSampleRatio))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:TraceSampleRatio must be from 0 to 1."));
        }

        if (Headers is { Length: > 0 } headers && headers.Split(',').Any(pair => pair.IndexOf('=', StringComparison.Ordinal) < 1))
        {
            failures.Add($"{SectionName}:Headers must be key=value pairs separated by commas.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(OtlpExportOptions), failures);
        }
    }
}
