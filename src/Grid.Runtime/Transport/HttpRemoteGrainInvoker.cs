using System.Net;
using System.Net.Http.Headers;
using Grid.Runtime.Hosting;
using Grid.Runtime.Membership;
using Grid.Runtime.Placement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Runtime.Transport;

/// <summary>
/// Sends calls for grains this silo does not own to their owner over HTTP/2 (h2c, many calls multiplexed on a
/// few connections). A "not owner" answer refreshes the view and tries the new owner, a bounded number of
/// times. An owner that cannot be reached fails the call with <see cref="SiloUnavailableException"/>, which is
/// retryable: nothing ran. A call whose answer was lost in flight fails the same way, and may have run, so
/// only idempotent work (every ledger command, by its operation id) may be retried blindly.
/// </summary>
public sealed partial class HttpRemoteGrainInvoker : IRemoteGrainInvoker, IDisposable
{
    private const int MaxAttempts = 3;

    private readonly MembershipService _membership;
    private readonly GrainCallSerializer _serializer;
    private readonly RemoteCallCatalog _catalog;
    private readonly RemoteErrors _errors;
    private readonly GrainRuntimeOptions _runtime;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _authorization;

    public HttpRemoteGrainInvoker(
        MembershipService membership,
        GrainCallSerializer serializer,
        RemoteCallCatalog catalog,
        RemoteErrors errors,
        IOptions<ClusterOptions> cluster,
        IOptions<GrainRuntimeOptions> runtime,
        ILogger<HttpRemoteGrainInvoker> logger)
    {
        _membership = membership;
        _serializer = serializer;
        _catalog = catalog;
        _errors = errors;
        _runtime = runtime.Value;
        _logger = logger;
        var secret = cluster.Value.Secret ?? throw new InvalidOperationException($"{ClusterOptions.SectionName}:Secret is not set.");
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

    public void Send(GrainId target, GrainCall call) => _ = SendAsync(target, call);

    public void Dispose() => _http.Dispose();

    private async Task SendAsync(GrainId target, GrainCall call)
    {
        try
        {
            var timeout = call.ResponseTimeout ?? _runtime.ResponseTimeout;
            using var deadline = new CancellationTokenSource(timeout);
            var body = RemoteCallProtocol.EncodeCall(target, _catalog.InterfaceOf(call), call, timeout, _serializer.Options);
            for (var attempt = 1; ; attempt++)
            {
                var owner = _membership.View.OwnerOf(target) ?? throw new SiloUnavailableException($"No silo is in this silo's view to own {target}.");
                var outcome = await SendOnceAsync(owner, body, call, deadline.Token);
                if (outcome != HttpStatusCode.MisdirectedRequest)
                {
                    return;
                }

                if (attempt == MaxAttempts)
                {
                    throw new SiloUnavailableException($"{target} changed owner {MaxAttempts} times while its call was routed; views are settling.");
                }

                LogNotOwner(_logger, target.ToString(), owner.Name);
                await _membership.RefreshAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The caller's own timer fails the call with GrainCallTimeoutException; nothing more to say.
        }
        catch (Exception failed)
        {
            call.Fail(failed);
        }
    }

    /// <summary>Sends once; completes the call unless the answer is 421 (returned for the caller to retry).</summary>
    private async Task<HttpStatusCode> SendOnceAsync(MembershipEntry owner, byte[] body, GrainCall call, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(owner.Endpoint), RemoteCallProtocol.Path))
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20, // a request built by hand does not take the client's defaults
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = _authorization;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException unreachable)
        {
            throw new SiloUnavailableException($"Silo {owner.Name} at {owner.Endpoint} cannot be reached: {unreachable.Message}");
        }

        using (response)
        {
            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.MisdirectedRequest:
                    return response.StatusCode;
                case HttpStatusCode.OK when Outcome(response) == RemoteCallProtocol.ResultOutcome:
                    call.CompleteRemote(content, _serializer.Options);
                    return response.StatusCode;
                case HttpStatusCode.OK when Outcome(response) == RemoteCallProtocol.ErrorOutcome:
                    call.Fail(_errors.Decode(RemoteCallProtocol.DecodeError(content, _serializer.Options)));
                    return response.StatusCode;
                case HttpStatusCode.ServiceUnavailable:
                    throw new SiloUnavailableException($"Silo {owner.Name} is not taking calls (stopping or overloaded).");
                case HttpStatusCode.BadRequest when Outcome(response) == RemoteCallProtocol.ErrorOutcome:
                    var refused = RemoteCallProtocol.DecodeError(content, _serializer.Options);
                    throw new InvalidOperationException($"Silo {owner.Name} could not read a grain call: {refused.Message}");
                default:
                    throw new InvalidOperationException(
                        $"Silo {owner.Name} answered a grain call with {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(content.AsSpan(0, Math.Min(content.Length, 200)))}");
            }
        }
    }

    private static string? Outcome(HttpResponseMessage response) =>
        response.Headers.TryGetValues(RemoteCallProtocol.OutcomeHeader, out var values) ? values.FirstOrDefault() : null;

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Grain} is not owned by {Silo} any more; refreshing the view")]
    private static partial void LogNotOwner(ILogger logger, string grain, string silo);
}
