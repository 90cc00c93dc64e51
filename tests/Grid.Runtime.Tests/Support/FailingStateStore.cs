using Grid.Runtime.Persistence;

namespace Grid.Runtime.Tests.Support;

/// <summary>The silo's state store, whose next write can be made to fail as a store out of reach would (after the
/// write reached the store, or before: <see cref="FailNextWrite"/> says which), and whose next read can be cancelled
/// as one that outlasted the activation's deadline is.</summary>
public sealed class FailingStateStore(IGrainStateStore inner) : IGrainStateStore
{
    private int _failNext;
    private GrainId? _cancelNextReadOf;
    private int _cancelledReads;
    private readonly Lock _gate = new();
    private bool _afterWriting;

    /// <summary>The next read of <paramref name="grainId"/>'s state ends cancelled, as a read the activation deadline
    /// cut short does. Only that grain's: other grains (a reminder's, a system grain's) may activate meanwhile.</summary>
    /// <summary>How many reads ended cancelled as <see cref="CancelNextRead"/> asked.</summary>
    public int CancelledReads => Volatile.Read(ref _cancelledReads);

    public void CancelNextRead(GrainId grainId)
    {
        lock (_gate)
        {
            _cancelNextReadOf = grainId;
        }
    }

    /// <summary>The next write throws; with <paramref name="afterWriting"/>, only once the store has taken it.</summary>
    public void FailNextWrite(bool afterWriting)
    {
        _afterWriting = afterWriting;
        Volatile.Write(ref _failNext, 1);
    }

    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_cancelNextReadOf == grainId)
            {
                _cancelNextReadOf = null;
                _cancelledReads++;
                return Task.FromCanceled<GrainStateRecord?>(new CancellationToken(canceled: true));
            }
        }

        return inner.ReadAsync(grainId, stateName, cancellationToken);
    }

    public async Task<long?> WriteAsync(GrainId grainId, string stateName, string payload, long? expectedVersion, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _failNext, 0) == 0)
        {
            return await inner.WriteAsync(grainId, stateName, payload, expectedVersion, cancellationToken);
        }

        if (_afterWriting)
        {
            await inner.WriteAsync(grainId, stateName, payload, expectedVersion, cancellationToken);
        }

        throw new TimeoutException("The state store did not answer (injected).");
    }

    public Task<long?> ClearAsync(GrainId grainId, string stateName, long? expectedVersion, CancellationToken cancellationToken) =>
        inner.ClearAsync(grainId, stateName, expectedVersion, cancellationToken);
}
