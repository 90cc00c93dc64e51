using System.Globalization;
using Grid.Bench.Cluster;
using Grid.Silo;
using Grid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grid.Bench.Gateway;

/// <summary>
/// One silo in this process, composed exactly as the silo executable composes one (gateway, auth, rate limits,
/// streams), clustered on PostgreSQL so the embedded client can reach it on its cluster port.
/// </summary>
public sealed class GatewayBenchSilo : IAsyncDisposable
{
    public const string AdminKey = "bench-gateway-admin-key-0123456789";

    private readonly WebApplication _app;

    private GatewayBenchSilo(WebApplication app, Uri gateway, Uri cluster)
    {
        _app = app;
        Gateway = gateway;
        Cluster = cluster;
    }

    public Uri Gateway { get; }

    public Uri Cluster { get; }

    /// <summary>A client of the gateway that sends the admin key.</summary>
    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = Gateway };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>The silo's services, for probes the benchmark takes inside it.</summary>
    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Further configuration (e.g. <c>Grid:Stripe</c>), applied over the defaults here.</param>
    public static async Task<GatewayBenchSilo> StartAsync(StorageOptions storage, string directory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var gateway = new Uri($"http://127.0.0.1:{ClusterBenchmark.FreePort()}");
        var cluster = new Uri($"http://127.0.0.1:{ClusterBenchmark.FreePort()}");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = directory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [WebHostDefaults.ServerUrlsKey] = gateway.ToString(),
            ["Grid:Storage:Provider"] = "postgres",
            ["Grid:Storage:ConnectionString"] = storage.ConnectionString,
            ["Grid:Cluster:Enabled"] = "true",
            ["Grid:Cluster:SiloName"] = "gateway-bench",
            ["Grid:Cluster:Endpoint"] = cluster.ToString(),
            ["Grid:Cluster:Secret"] = BenchSilo.Secret,
            ["Grid:Auth:AdminKey"] = AdminKey,
            // One key per account, each far under this: the limiter runs (its cost is measured) but never refuses.
            ["Grid:RateLimits:PermitsPerSecond"] = 100_000.ToString(CultureInfo.InvariantCulture),
            ["Grid:RateLimits:Burst"] = 100_000.ToString(CultureInfo.InvariantCulture),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.AddGridSilo();
        var app = builder.Build();
        await app.PrepareGridSiloAsync(CancellationToken.None);
        await app.StartAsync();
        return new GatewayBenchSilo(app, gateway, cluster);
    }

    public async ValueTask DisposeAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(bound.Token);
        await _app.DisposeAsync();
    }
}
