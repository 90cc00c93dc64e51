using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Grid.Runtime.Membership;

namespace Grid.Runtime.Transport;

/// <summary>
/// Sends one grain call to its owner over the call stream to that silo (<see cref="RemoteCallStream"/>: one HTTP/2
/// request that stays open, many calls per write) and completes it with what comes back. A "not owner" answer refreshes the routes and, after a short backoff, tries the
/// owner they name, at most <see cref="MaxMisroutes"/> times. An owner that cannot be reached, or that died before answering, is
/// <see cref="SiloUnavailableException"/>: a silo gives that to its caller; an embedded client sends calls
/// marked <see cref="IdempotentAttribute"/> again (refreshing the routes, backing off) until the call's time is up.
/// </summary>
public sealed class RemoteCallSender : IDisposable
{
    public const int MaxMisroutes = 8;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    // The least a call sent again may carry (the wire wants a positive timeout); its deadline here ends it anyway.
    private static readonly TimeSpan MinTimeLeft = TimeSpan.FromMilliseconds(1);

    /// <summary>How long a silo has to send its manifest: a few round trips, far more than a live silo needs.</summary>
    private static readonly TimeSpan ManifestTimeout = TimeSpan.FromSeconds(5);

    private readonly GrainCallSerializer _serializer;
    private readonly RemoteErrors _errors;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, RemoteCallStream> _streams = new(StringComparer.Ordinal);
    private bool _disposed;

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
            // A call stream is one request that stays open; pings find a peer that went silent without closing it.
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
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
        var started = Stopwatch.GetTimestamp();
        var body = RemoteCallProtocol.EncodeCall(target, grainInterface, call, timeout, _serializer.Options);
        if (body.Length > RemoteCallProtocol.MaxBodyBytes)
        {
            throw new InvalidOperationException($"A call to {target} is {body.Length} bytes; at most {RemoteCallProtocol.MaxBodyBytes} cross silos.");
        }

        var misroutes = 0;
        var backoff = FirstBackoff;
        var attempts = 0;
        while (true)
        {
            try
            {
                var owner = routes.OwnerOf(target) ?? throw new SiloUnavailableException($"No silo is in view to own {target}.");
                if (attempts++ > 0)
                {
                    // A call sent again carries the time its caller has left, not the whole timeout: the receiver drops it
                    // once that passes, so it never runs after its caller was told it timed out.
                    var left = timeout - Stopwatch.GetElapsedTime(started);
                    body = RemoteCallProtocol.EncodeCall(
                        target, grainInterface, call, left > MinTimeLeft ? left : MinTimeLeft, _serializer.Options);
                }

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

            try
            {
                await routes.RefreshAsync(deadline.Token);
            }
            catch (Exception unread) when (unread is not OperationCanceledException || !deadline.IsCancellationRequested)
            {
                // The view could not be read again (the silo that would answer is the one restarting, or the table is
                // briefly out of reach): the next try goes by the old one, still bounded by the deadline and the misroutes.
                // Thrown on, it failed an idempotent call at its first setback, which a caller could take for "never ran".
                // A connect that timed out is a cancellation too (not the call's own: its deadline has not passed).
            }
        }
    }

    /// <summary>
    /// Asks a silo for its view and grain types (<see cref="RemoteCallProtocol.ManifestPath"/>). A silo that cannot be reached
    /// or does not answer within <see cref="ManifestTimeout"/> is <see cref="SiloUnavailableException"/>, so the caller
    /// asks the next one: a host gone without a reset times out its connect, and a frozen one never answers.
    /// </summary>
    public async Task<ClusterManifest> FetchManifestAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var answered = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answered.CancelAfter(ManifestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, RemoteCallProtocol.ManifestPath))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = _authorization;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, answered.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new SiloUnavailableException($"Silo at {endpoint} answered {(int)response.StatusCode} when asked for the cluster manifest.");
            }

            var content = await response.Content.ReadAsByteArrayAsync(answered.Token);
            return System.Text.Json.JsonSerializer.Deserialize<ClusterManifest>(content, _serializer.Options)
                ?? throw new SiloUnavailableException($"Silo at {endpoint} sent an empty cluster manifest.");
        }
        catch (HttpRequestException unreachable)
        {
            throw new SiloUnavailableException($"Silo at {endpoint} cannot be reached: {unreachable.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SiloUnavailableException($"Silo at {endpoint} did not answer within {ManifestTimeout.TotalSeconds:0.#} s.");
        }
    }

    public void Dispose()
    {
        lock (_streams)
        {
            _disposed = true;
        }

        foreach (var stream in _streams.Values)
        {
            stream.Dispose();
        }

        _http.Dispose();
    }

    /// <summary>The open stream to an endpoint, or a new one. Broken streams leave the map themselves, so it holds the live silos'.</summary>
    private RemoteCallStream StreamTo(string endpoint)
    {
        if (_streams.TryGetValue(endpoint, out var stream) && !stream.IsBroken)
        {
            return stream;
        }

        lock (_streams)
        {
            if (_streams.TryGetValue(endpoint, out stream) && !stream.IsBroken)
            {
                return stream;
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            stream = RemoteCallStream.Open(_http, new Uri(new Uri(endpoint), RemoteCallProtocol.Path), _authorization, endpoint, Forget);
            _streams[endpoint] = stream;
            return stream;
        }
    }

    private void Forget(RemoteCallStream broken) =>
        _streams.TryRemove(new KeyValuePair<string, RemoteCallStream>(broken.Endpoint, broken));

    /// <summary>Sends once; true when the call got its outcome, false for "not owner".</summary>
    private async Task<bool> SendOnceAsync(MembershipEntry owner, byte[] body, GrainCall call, CancellationToken cancellationToken)
    {
        var answer = await StreamTo(owner.Endpoint).CallAsync(body, cancellationToken);
        switch (answer.Kind)
        {
            case CallFrameKind.NotOwner:
                return false;
            case CallFrameKind.Result:
                call.CompleteRemote(answer.Payload, _serializer.Options);
                return true;
            case CallFrameKind.Error:
                call.Fail(_errors.Decode(RemoteCallProtocol.DecodeError(answer.Payload, _serializer.Options)));
                return true;
            case CallFrameKind.Unavailable:
                throw new SiloUnavailableException($"Silo {owner.Name} is not taking calls (stopping).");
            case CallFrameKind.BadCall:
                throw new InvalidOperationException(
                    $"Silo {owner.Name} could not read a grain call: {RemoteCallProtocol.DecodeError(answer.Payload, _serializer.Options).Message}");
            default:
                throw new InvalidOperationException($"Silo {owner.Name} answered a grain call with a {answer.Kind} frame.");
        }
    }
}
