using System.Text;
using System.Text.Json;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Runtime.Membership;
using Microsoft.Extensions.Options;

namespace Grid.Runtime.Transport;

/// <summary>
/// The receiving end of <see cref="RemoteCallProtocol"/>, independent of the web server that carries it: checks
/// the secret, reads the call, answers 421 for a grain this silo does not own in its view (it never forwards,
/// so a call crosses the network at most once per attempt), runs it here and returns the result or the error.
/// </summary>
public sealed class RemoteCallHandler(
    GrainRuntime runtime,
    MembershipService membership,
    GrainTypeRegistry registry,
    ClusterPlacement placement,
    GrainCallSerializer serializer,
    RemoteCallCatalog catalog,
    RemoteErrors errors,
    IOptions<ClusterOptions> cluster)
{
    private readonly byte[] _secretHash = RemoteCallProtocol.HashSecret(
        cluster.Value.Secret ?? throw new InvalidOperationException($"{ClusterOptions.SectionName}:Secret is not set."));

    /// <summary>Whether an Authorization header carries the cluster secret (compared in constant time).</summary>
    public bool IsAuthorized(string? authorization) =>
        authorization is not null
        && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
        && RemoteCallProtocol.SecretMatches(_secretHash, authorization["Bearer ".Length..]);

    /// <summary>The body of <c>GET /grid/v1/cluster</c>: this silo's view and the grain types of its interfaces.</summary>
    public byte[] DescribeCluster()
    {
        var grainTypes = registry.Interfaces.ToDictionary(i => i.FullName!, i => registry.GetByInterface(i).Name, StringComparer.Ordinal);
        return JsonSerializer.SerializeToUtf8Bytes(new ClusterManifest(membership.View.Silos, grainTypes), serializer.Options);
    }

    public async Task<RemoteCallAnswer> HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        RemoteCallEnvelope envelope;
        GrainCall call;
        try
        {
            using var document = JsonDocument.Parse(body);
            envelope = RemoteCallProtocol.DecodeEnvelope(document.RootElement);
            call = catalog.Create(envelope.Interface, envelope.MethodId, envelope.Arguments, serializer.Options);
        }
        catch (Exception unreadable) when (unreadable is JsonException or NotSupportedException or ArgumentException or FormatException)
        {
            return Error(400, new RemoteError("grid.bad-call", unreadable.Message));
        }

        if (!placement.IsLocal(envelope.Target))
        {
            // The caller thinks this silo owns the grain; one of the two views is stale. Make sure it is not this one.
            _ = membership.RefreshAsync(CancellationToken.None).ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            var owner = placement.OwnerOf(envelope.Target)?.Name ?? "none";
            return new RemoteCallAnswer(421, null, Encoding.UTF8.GetBytes($"{{\"owner\":{JsonSerializer.Serialize(owner)}}}"));
        }

        runtime.SendHere(envelope.Target, call, envelope.Timeout);
        try
        {
            var result = await call.SerializeResultAsync(serializer.Options).WaitAsync(cancellationToken);
            return new RemoteCallAnswer(200, RemoteCallProtocol.ResultOutcome, result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the caller went away; the web server drops the exchange
        }
        catch (Exception thrown)
        {
            return Error(200, errors.Encode(thrown));
        }
    }

    private RemoteCallAnswer Error(int status, RemoteError error) =>
        new(status, RemoteCallProtocol.ErrorOutcome, RemoteCallProtocol.EncodeError(error, serializer.Options));
}
