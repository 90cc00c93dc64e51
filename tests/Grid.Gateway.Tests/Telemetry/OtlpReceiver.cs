using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grid.Gateway.Tests.Telemetry;

/// <summary>
/// A collector's OTLP/HTTP endpoint that keeps what it is sent. Protobuf keeps strings as their UTF-8 bytes, so a
/// metric, scope or attribute name can be found in a body without decoding it.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpRequest> _requests = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<OtlpRequest> Requests => [.. _requests];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return receiver;
    }

    /// <summary>Whether some request to <paramref name="path"/> carried <paramref name="text"/>.</summary>
    public bool Received(string path, string text) =>
        _requests.Any(r => r.Path == path && r.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        _requests.Enqueue(new OtlpRequest(http.Request.Path, http.Request.ContentType, http.Request.Headers.Authorization.ToString(), body.ToArray()));
        // An empty ExportServiceResponse: full success.
        http.Response.ContentType = "application/x-protobuf";
        http.Response.StatusCode = StatusCodes.Status200OK;
    }
}

/// <summary>One export as received.</summary>
public sealed record OtlpRequest(string Path, string? ContentType, string Authorization, byte[] Body);
