using Grid.Runtime;
using Grid.Runtime.Persistence;

namespace Grid.Grains.Tests.Support;

/// <summary>
/// The real grain state store, one of whose coming writes of a named state can be made to fail before it reaches
/// the store, as a stop or an unreachable database would leave it, or to wait there, so a test can act while the grain
/// that writes is held at that point.
/// </summary>
public sealed class FailingGrainStateStore(IGrainStateStore inner) : IGrainStateStore
{
    private readonly Lock _gate = new();
    private string? _stateName;
    private int _writesLeft;
    private string? _pausedState;
    private TaskCompletionSource? _paused;
    private TaskCompletionSource? _resume;

    /// <summary>The <paramref name="number"/>-th write of <paramref name="stateName"/> from now on throws; those before it go through.</summary>
    public void FailWrite(string stateName, int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        lock (_gate)
        {
            _stateName = stateName;
            _writesLeft = number;
        }
    }

    /// <summary>
    /// The next write of <paramref name="stateName"/> waits before it reaches the store until the returned release is
    /// called; the returned task completes when that write has begun waiting.
    /// </summary>
    public (Task Paused, Action Release) PauseNextWrite(string stateName)
    {
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pausedState = stateName;
            _paused = paused;
            _resume = resume;
        }

        return (paused.Task, () => resume.TrySetResult());
    }

    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken) =>
        inner.ReadAsync(grainId, stateName, cancellationToken);

    public async Task<long?> WriteAsync(GrainId grainId, string stateName, string payload, long? expectedVersion, CancellationToken cancellationToken)
    {
        Task? resume = null;
        lock (_gate)
        {
            if (_stateName == stateName && --_writesLeft == 0)
            {
                _stateName = null;
                throw new TimeoutException("The state store did not answer (test).");
            }

            if (_pausedState == stateName)
            {
                _pausedState = null;
                _paused!.TrySetResult();
                resume = _resume!.Task;
            }
        }

        if (resume is not null)
        {
            await resume.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        return await inner.WriteAsync(grainId, stateName, payload, expectedVersion, cancellationToken);
    }

    public Task<long?> ClearAsync(GrainId grainId, string stateName, long? expectedVersion, CancellationToken cancellationToken) =>
        inner.ClearAsync(grainId, stateName, expectedVersion, cancellationToken);
}
