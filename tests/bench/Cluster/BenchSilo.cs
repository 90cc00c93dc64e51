using System.Net;
using Grid.Bench.Runtime;
using Grid.Gateway.Cluster;
using Grid.Grains.Hosting;
using Grid.Runtime;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Runtime.Membership;
using Grid.Storage;
using Grid.Storage.Hosting;
using Grid.Storage.Migrations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grid.Bench.Cluster;

/// <summary>
/// A clustered silo in this process, composed as the silo host composes one: storage, runtime, ledger, the
/// cluster (membership, placement, HTTP/2 calls on its own port). It also serves <c>POST /echo</c> on that
/// port, the baseline: an HTTP/2 request and response of the same size through the same Kestrel, no grains.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    public const string Secret = "bench-cluster-secret-0123456789abcdef";

    private readonly WebApplication _app;

    private BenchSilo(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public GrainRuntime Grains => _app.Services.GetRequiredService<GrainRuntime>();

    public MembershipService Membership => _app.Services.GetRequiredService<MembershipService>();

    public static async Task<BenchSilo> StartAsync(StorageOptions storage, string name, int port)
    {
        var endpoint = new Uri($"http://127.0.0.1:{port}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGridStorage(storage);
        builder.Services.AddGrainRuntime();
        builder.Services.AddGrain<BenchCounterGrain>();
        builder.Services.AddLedger();
        builder.Services.AddSingleton(SiloIdentity.Create(name, TimeProvider.System));
        builder.Services.AddGridCluster(options =>
        {
            options.Enabled = true;
            options.Endpoint = endpoint.ToString();
            options.Secret = Secret;
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None);
        app.MapClusterCalls(port);
        app.MapPost("/echo", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(body.ToArray(), context.RequestAborted);
        });
        await app.StartAsync();
        return new BenchSilo(app, endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(bound.Token);
        await _app.DisposeAsync();
    }
}
