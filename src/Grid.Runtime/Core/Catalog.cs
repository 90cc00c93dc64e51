using System.Collections.Concurrent;
using Grid.Runtime.Hosting;

namespace Grid.Runtime.Core;

/// <summary>The activations of this silo, at most one per grain id.</summary>
internal sealed class Catalog(GrainRuntime runtime, GrainTypeRegistry registry, int maxActivations)
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private volatile bool _closed;

    public int Count => _activations.Count;

    public IEnumerable<ActivationData> Activations => _activations.Values;

    public bool TryGet(GrainId grainId, out ActivationData activation) => _activations.TryGetValue(grainId, out activation!);

    public ActivationData GetOrCreate(GrainId grainId)
    {
        if (_activations.TryGetValue(grainId, out var existing))
        {
            return existing;
        }

        if (_closed)
        {
            throw new SiloUnavailableException("The silo is shutting down and activates no more grains.");
        }

        if (_activations.Count >= maxActivations)
        {
            throw new SiloUnavailableException($"The silo holds {maxActivations} activations, the configured limit (Grid:Runtime:MaxActivations).");
        }

        var created = new ActivationData(grainId, registry.GetByName(grainId.Type), runtime);
        var winner = _activations.GetOrAdd(grainId, created);
        if (ReferenceEquals(winner, created))
        {
            created.BeginActivation();
        }

        return winner;
    }

    public void Remove(ActivationData activation) =>
        _activations.TryRemove(KeyValuePair.Create(activation.GrainId, activation));

    /// <summary>Stops activating and deactivates everything; waits at most <paramref name="timeout"/>.</summary>
    public async Task DeactivateAllAsync(DeactivationReason reason, TimeSpan timeout, TimeProvider time)
    {
        _closed = true;
        var all = _activations.Values.ToArray();
        foreach (var activation in all)
        {
            activation.StartDeactivation(reason);
        }

        await Task.WhenAll(all.Select(a => a.Deactivated)).WaitAsync(timeout, time);
    }
}
