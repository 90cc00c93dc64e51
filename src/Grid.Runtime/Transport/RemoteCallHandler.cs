using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Runtime.Membership;
using Microsoft.Extensions.Options;

namespace Grid.Runtime.Transport;

/// <summary>
/// The receiving end of <see cref="RemoteCallProtocol"/>, independent of the web server that carries it: checks
/// the secret, reads the call, answers "not owner" for a grain this silo does not own in its view (it never forwards,
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

    /// <summary>Whether this silo's view is current enough to hand to a client (see <see cref="MembershipService.HasCurrentView"/>).</summary>
    public bool HasCurrentView => membership.HasCurrentView;

    /// <summary>The body of <c>GET /grid/v1/cluster</c>: this silo's view and the grain types of its interfaces.</summary>
    public byte[] DescribeCluster()
    {
        var grainTypes = registry.Interfaces.ToDictionary(i => i.FullName!, i => registry.GetByInterface(i).Name, StringComparer.Ordinal);
        return JsonSerializer.SerializeToUtf8Bytes(new ClusterManifest(membership.View.Silos, grainTypes), serializer.Options);
    }

    /// <summary>
    /// Serves one call stream (see <see cref="RemoteCallStreamSession"/>) until the caller ends it or this silo has
    /// left the cluster (<see cref="MembershipService.Departed"/>; while it is leaving, calls are answered "not owner").
    /// </summary>
    public Task ServeStreamAsync(PipeReader calls, PipeWriter answers, CancellationToken aborted) =>
        new RemoteCallStreamSession(this).RunAsync(calls, answers, membership.Departed, aborted);

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
        catch (Exception unreadable)
        {
            // Whatever reading the call threw (a wrong type, too few arguments from a silo of another version), it is the caller's to hear.
            return Answer(CallFrameKind.BadCall, new RemoteError("grid.bad-call", unreadable.Message));
        }

        if (!placement.IsLocal(envelope.Target))
        {
            // The caller thinks this silo owns the grain; one of the two views is stale. Make sure it is not this one.
            _ = membership.RefreshAsync(CancellationToken.None).ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            var owner = placement.OwnerOf(envelope.Target)?.Name ?? "none";
            return new RemoteCallAnswer(CallFrameKind.NotOwner, Encoding.UTF8.GetBytes($"{{\"owner\":{JsonSerializer.Serialize(owner)}}}"));
        }

        runtime.SendHere(envelope.Target, call, envelope.Timeout);
        try
        {
            var result = await call.SerializeResultAsync(serializer.Options).WaitAsync(cancellationToken);
            return result.Length <= RemoteCallProtocol.MaxBodyBytes
                ? new RemoteCallAnswer(CallFrameKind.Result, result)
                : Answer(CallFrameKind.Error, new RemoteError("grid.answer-too-large", $"The call's result is {result.Length} bytes; at most {RemoteCallProtocol.MaxBodyBytes} cross silos."));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the caller went away; the web server drops the exchange
        }
        catch (Exception thrown)
        {
            return Answer(CallFrameKind.Error, errors.Encode(thrown));
        }
    }

    /// <summary>The answer for an exception that escaped <see cref="HandleAsync"/>: the call's error, so its caller is not left waiting.</summary>
    internal RemoteCallAnswer Unexpected(Exception error) => Answer(CallFrameKind.Error, errors.Encode(error));

    private RemoteCallAnswer Answer(CallFrameKind kind, RemoteError error)
    {
        var body = RemoteCallProtocol.EncodeError(error, serializer.Options);
        if (body.Length <= RemoteCallProtocol.MaxBodyBytes)
        {
            return new RemoteCallAnswer(kind, body);
        }

        // An error too large to cross (a huge message) still has to reach its caller: keep its type and the message's start.
        var cut = error with { Message = error.Message[..Math.Min(error.Message.Length, 4096)] + " (cut: the error was too large to cross silos)" };
        body = RemoteCallProtocol.EncodeError(cut, serializer.Options);
        return new RemoteCallAnswer(kind, body.Length <= RemoteCallProtocol.MaxBodyBytes ? body : RemoteCallProtocol.EncodeError(cut with { Data = null }, serializer.Options));
    }
}
