using System.Collections.Concurrent;
using Grid.Runtime.Placement;

namespace Grid.Runtime.Tests.Support;

/// <summary>Stands for the other silos: records each call sent there and never answers it (the call's timeout ends it).</summary>
public sealed class RecordingRemoteInvoker : IRemoteGrainInvoker
{
    private readonly ConcurrentQueue<GrainId> _sent = new();

    public IReadOnlyCollection<GrainId> Sent => _sent;

    public void Send(GrainId target, GrainCall call, TimeSpan timeout) => _sent.Enqueue(target);
}
