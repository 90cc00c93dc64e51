using Grid.Runtime;
using Grid.Runtime.Persistence;

namespace Grid.Grains.Tests.Support;

/// <summary>
/// The real grain state store, one of whose coming writes of a named state can be made to fail before it reaches
/// the store, as a stop or an unreachable database would leave it.
/// </summary>
public sealed class FailingGrainStateStore(IGrainStateStore inner) : IGrainStateStore
{
    private readonly Lock _gate = new();
    private string? _stateName;
    private int _writesLeft;

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

    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken) =>
        inner.ReadAsync(grainId, stateName, cancellationToken);

    public Task<long?> WriteAsync(GrainId grainId, string stateName, string payload, long? expectedVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stateName == stateName && --_writesLeft == 0)
            {
                _stateName = null;
                return Task.FromException<long?>(new TimeoutException("The state store did not answer (test)."));
            }
        }

        return inner.WriteAsync(grainId, stateName, payload, expectedVersion, cancellationToken);
    }

    public Task<long?> ClearAsync(GrainId grainId, string stateName, long? expectedVersion, CancellationToken cancellationToken) =>
        inner.ClearAsync(grainId, stateName, expectedVersion, cancellationToken);
}
