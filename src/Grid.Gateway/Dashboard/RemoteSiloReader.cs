using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Grid.Runtime.Membership;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Dashboard;

/// <summary>
/// Asks another silo for its <see cref="SiloReading"/> over the cluster transport: <c>GET /grid/v1/dashboard</c> on
/// its cluster port (HTTP/2, the cluster secret as bearer token), within a short timeout. A silo that does not answer
/// in time, or answers anything but a reading, is null: the dashboard shows it as unreachable.
/// </summary>
public sealed class RemoteSiloReader : IDisposable
{
    public const string Path = "/grid/v1/dashboard";

    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly TimeSpan _timeout;

    public RemoteSiloReader(IOptions<ClusterOptions> cluster, IOptions<DashboardOptions> options)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        _authorization = cluster.Value.Secret is { Length: > 0 } secret ? new AuthenticationHeaderValue("Bearer", secret) : null;
        _timeout = TimeSpan.FromMilliseconds(options.Value.RemoteTimeoutMs);
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = _timeout, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each request brings its own
            MaxResponseContentBufferSize = 4 * 1024 * 1024,
        };
    }

    /// <param name="keepFeed">Keep (or start) the other silo's journal feed listening; false (a snapshot) reads only what it kept.</param>
    public async Task<SiloReading?> ReadAsync(MembershipEntry silo, long feedAfter, bool keepFeed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (_authorization is null || !Uri.TryCreate(silo.Endpoint, UriKind.Absolute, out var endpoint))
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, $"{Path}?after={feedAfter}&feed={(keepFeed ? 1 : 0)}"))
        {
            Version = HttpVersion.Version20, // the cluster port speaks HTTP/2 only (prior knowledge)
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = _authorization;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return JsonSerializer.Deserialize(body, DashboardJsonContext.Default.SiloReading);
        }
        catch (Exception unreachable) when (unreachable is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
