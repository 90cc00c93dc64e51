using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Telemetry;

/// <summary>
/// With <c>Grid:Telemetry:Otlp:Endpoint</c> set, the built silo sends its grid meters and traced HTTP requests to an
/// OTLP/HTTP collector, with the configured headers, under the service's name; the header's secret never reaches the log.
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private const string AdminKey = "otlp-export-admin-key-0123456789";
    private const string CollectorToken = "collector-secret-token-4d1f9c";

    private readonly TemporaryDirectory _directory = new();
    private OtlpReceiver _collector = null!;
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _collector = await OtlpReceiver.StartAsync();
        _silo = SiloProcess.Start(_directory.Path, new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__DataDirectory"] = _directory.Combine("data"),
            ["Grid__Telemetry__Otlp__Endpoint"] = _collector.Url.AbsoluteUri,
            ["Grid__Telemetry__Otlp__Headers"] = $"Authorization=Bearer {CollectorToken}",
            ["Grid__Telemetry__Otlp__ExportInterval"] = "00:00:00.500",
            ["Grid__Telemetry__Otlp__TraceSampleRatio"] = "1",
        });
        await _silo.WaitReadyAsync();
    }

    [Fact]
    public async Task Grid_meters_and_request_traces_reach_the_collector_with_its_headers_and_the_secret_stays_out_of_the_log()
    {
        var api = new LedgerApi(_silo.Http, AdminKey);
        var account = await api.CreateAccountAsync();
        await api.DepositAsync(account, "otlp-deposit", 100);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/v1/accounts/{account}")).Status);

        await Eventually.TrueAsync(
            () => _collector.Received("/v1/metrics", "grid.journal.appends") && _collector.Received("/v1/metrics", "grid.http.requests"),
            "the grid's meters exported");
        await Eventually.TrueAsync(() => _collector.Received("/v1/traces", "Microsoft.AspNetCore"), "HTTP request spans exported");

        var exports = _collector.Requests;
        Assert.All(exports, r => Assert.Equal($"Bearer {CollectorToken}", r.Authorization));
        Assert.All(exports, r => Assert.Equal("application/x-protobuf", r.ContentType));
        Assert.True(_collector.Received("/v1/metrics", "credit-grid"), "service.name is on the resource");
        Assert.DoesNotContain(_silo.Output, line => line.Contains(CollectorToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_setting_stops_the_silo_with_a_line_that_names_it()
    {
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__DataDirectory"] = directory.Combine("data"),
            ["Grid__Telemetry__Otlp__Endpoint"] = "collector:4318",
        });
        Assert.NotEqual(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(silo.Output, line => line.Contains("Grid:Telemetry:Otlp:Endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_clients_sampled_traceparent_does_not_get_its_requests_traced_past_the_ratio()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__DataDirectory"] = directory.Combine("data"),
            ["Grid__Telemetry__Otlp__Endpoint"] = collector.Url.AbsoluteUri,
            ["Grid__Telemetry__Otlp__ExportInterval"] = "00:00:00.200",
            ["Grid__Telemetry__Otlp__TraceSampleRatio"] = "0.000001",
        });
        await silo.WaitReadyAsync();

        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
            // "Sampled", says the client, with a trace id whose first half is zeros: one a ratio sampler of the id always takes.
            request.Headers.Add("traceparent", $"00-0000000000000000{Guid.NewGuid():N}"[..35] + $"-{Guid.NewGuid():N}"[..17] + "-01");
            Assert.Equal(HttpStatusCode.OK, (await silo.Http.SendAsync(request)).StatusCode);
        }

        // Metrics exported twice since: the trace exporter, on the same interval, had its turns too.
        var exported = collector.Requests.Count(r => r.Path == "/v1/metrics");
        await Eventually.TrueAsync(() => collector.Requests.Count(r => r.Path == "/v1/metrics") >= exported + 2, "two more metric exports");
        Assert.DoesNotContain(collector.Requests, r => r.Path == "/v1/traces");
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _collector.DisposeAsync();
        _directory.Dispose();
    }
}
