using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grid.Runtime.Membership;

namespace Grid.Runtime.Transport;

/// <summary>
/// Sends one grain call to its owner over HTTP/2 (h2c, calls multiplexed on a few connections) and completes
/// it with what comes back. A "not owner" answer refreshes the routes and, after a short backoff, tries the
/// owner they name, at most <see cref="MaxMisroutes"/> times. An owner that cannot be reached, or that died before answering, is
/// <see cref="SiloUnavailableException"/>: a silo gives that to its caller; an embedded client sends calls
/// marked <see cref="IdempotentAttribute"/> again (refreshing the routes, backing off) until the call's time is up.
/// </summary>
public sealed class RemoteCallSender : IDisposable
{
    public const int MaxMisroutes = 8;

    private const int MaxCachedEndpoints = 256;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private readonly GrainCallSerializer _serializer;
    private readonly RemoteErrors _errors;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly HttpClient _http;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Uri> _callUris = new(StringComparer.Ordinal);

    public RemoteCallSender(GrainCallSerializer serializer, RemoteErrors errors, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _serializer = serializer;
        _errors = errors;
        _authorization = new AuthenticationHeaderValue("Bearer", secret);
        _http = new HttpClient(new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        })
        {
            MaxResponseContentBufferSize = RemoteCallProtocol.MaxBodyBytes,
            Timeout = Timeout.InfiniteTimeSpan, // each call brings its own
        };
    }

    /// <summary>
    /// Sends until the call has its outcome (result or the grain's exception, both delivered to the call);
    /// throws when it cannot get one. Cancelled when <paramref name="timeout"/> passes.
    /// </summary>
    public async Task SendAsync(GrainId target, string grainInterface, GrainCall call, TimeSpan timeout, ICallRoutes routes, bool retryUnavailable)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(routes);
        using var deadline = new CancellationTokenSource(timeout);
        var body = RemoteCallProtocol.EncodeCall(target, grainInterface, call, timeout, _serializer.Options);
        var misroutes = 0;
        var backoff = FirstBackoff;
        while (true)
        {
            try
            {
                var owner = routes.OwnerOf(target) ?? throw new SiloUnavailableException($"No silo is in view to own {target}.");
                if (await SendOnceAsync(owner, body, call, deadline.Token))
                {
                    return;
                }

                if (++misroutes == MaxMisroutes)
                {
                    throw new SiloUnavailableException($"{target} was refused as not owned {MaxMisroutes} times while its call was routed; views are settling.");
                }

                // The two views disagree until one side reads the table again (the receiver does so at once): give it a moment.
                await Task.Delay(backoff, deadline.Token);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            catch (SiloUnavailableException) when (retryUnavailable && call.IsIdempotent && !deadline.IsCancellationRequested)
            {
                await Task.Delay(backoff, deadline.Token);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }

            await routes.RefreshAsync(deadline.Token);
        }
    }

    /// <summary>Asks a silo for its view and grain types (<see cref="RemoteCallProtocol.ManifestPath"/>).</summary>
    public async Task<ClusterManifest> FetchManifestAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, RemoteCallProtocol.ManifestPath))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = _authorization;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new SiloUnavailableException($"Silo at {endpoint} answered {(int)response.StatusCode} when asked for the cluster manifest.");
            }

            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return System.Text.Json.JsonSerializer.Deserialize<ClusterManifest>(content, _serializer.Options)
                ?? throw new SiloUnavailableException($"Silo at {endpoint} sent an empty cluster manifest.");
        }
        catch (HttpRequestException unreachable)
        {
            throw new SiloUnavailableException($"Silo at {endpoint} cannot be reached: {unreachable.Message}");
        }
    }

    public void Dispose() => _http.Dispose();

    // Parsing two URIs per call showed up in the cross-silo benchmark; endpoints are few and long-lived.
    private Uri CallUri(string endpoint)
    {
        if (_callUris.TryGetValue(endpoint, out var uri))
        {
            return uri;
        }

        if (_callUris.Count >= MaxCachedEndpoints)
        {
            _callUris.Clear(); // silos came and went many times; start over rather than grow
        }

        return _callUris[endpoint] = new Uri(new Uri(endpoint), RemoteCallProtocol.Path);
    }

    /// <summary>Sends once; true when the call got its outcome, false for "not owner".</summary>
    private async Task<bool> SendOnceAsync(MembershipEntry owner, byte[] body, GrainCall call, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CallUri(owner.Endpoint))
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20, // prior knowledge: the cluster port speaks HTTP/2 only
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = _authorization;
        HttpResponseMessage response;
        byte[] content;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException unreachable)
        {
            throw new SiloUnavailableException($"Silo {owner.Name} at {owner.Endpoint} cannot be reached: {unreachable.Message}");
        }

        using (response)
        {
            var outcome = response.Headers.TryGetValues(RemoteCallProtocol.OutcomeHeader, out var values) ? values.FirstOrDefault() : null;
            switch (response.StatusCode)
            {
                case HttpStatusCode.MisdirectedRequest:
                    return false;
                case HttpStatusCode.OK when outcome == RemoteCallProtocol.ResultOutcome:
                    call.CompleteRemote(content, _serializer.Options);
                    return true;
                case HttpStatusCode.OK when outcome == RemoteCallProtocol.ErrorOutcome:
                    call.Fail(_errors.Decode(RemoteCallProtocol.DecodeError(content, _serializer.Options)));
                    return true;
                case HttpStatusCode.ServiceUnavailable:
                    throw new SiloUnavailableException($"Silo {owner.Name} is not taking calls (stopping or overloaded).");
                case HttpStatusCode.BadRequest when outcome == RemoteCallProtocol.ErrorOutcome:
                    throw new InvalidOperationException(
                        $"Silo {owner.Name} could not read a grain call: {RemoteCallProtocol.DecodeError(content, _serializer.Options).Message}");
                default:
                    throw new InvalidOperationException(
                        $"Silo {owner.Name} answered a grain call with {(int)response.StatusCode}: {Encoding.UTF8.GetString(content.AsSpan(0, Math.Min(content.Length, 200)))}");
            }
        }
    }
}
