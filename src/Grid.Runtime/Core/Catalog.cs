using Grid.Runtime.Hosting;

namespace Grid.Runtime.Core;

/// <summary>
/// The activations of this silo, at most one per grain id. Each grain type keeps its own map keyed by the
/// grain key string, so a call's lookup is one string-keyed probe (the runtime's fast string path, which
/// switches to randomized hashing by itself if keys ever collide suspiciously).
/// </summary>
internal sealed class Catalog(GrainRuntime runtime, GrainTypeRegistry registry, int maxActivations)
{
    private long _count;
    private volatile bool _closed;

    public int Count => (int)Interlocked.Read(ref _count);

    public IEnumerable<ActivationData> Activations => registry.Types.SelectMany(t => t.Activations.Values);

    public ActivationData GetOrCreate(GrainId grainId) => GetOrCreate(registry.GetByName(grainId.Type), grainId.Key);

    public ActivationData GetOrCreate(GrainTypeInfo type, string key)
    {
        if (type.Activations.TryGetValue(key, out var existing))
        {
            return existing;
        }

        if (_closed)
        {
            throw new SiloUnavailableException("The silo is shutting down and activates no more grains.");
        }

        if (Count >= maxActivations)
        {
            throw new SiloUnavailableException($"The silo holds {maxActivations} activations, the configured limit (Grid:Runtime:MaxActivations).");
        }

        var created = new ActivationData(new GrainId(type.Name, key), type, runtime);
        var winner = type.Activations.GetOrAdd(key, created);
        if (ReferenceEquals(winner, created))
        {
            Interlocked.Increment(ref _count);
            created.BeginActivation();

            // Checked again once it is in the map: a view change (or a shutdown) whose sweep of the map ran between the
            // checks above and the add never saw it, and it would live on, a second activation beside the owner's, until
            // idle collection. Deactivating moves its calls on: to the owner (or they fail if no remote invoker is
            // configured), or they fail as the silo stops.
            if (_closed)
            {
                created.StartDeactivation(DeactivationReason.SiloShutdown);
            }
            else if (!runtime.OwnsHere(created.GrainId))
            {
                created.StartDeactivation(DeactivationReason.NotOwner);
            }
        }

        return winner;
    }

    public void Remove(ActivationData activation)
    {
        if (activation.Type.Activations.TryRemove(KeyValuePair.Create(activation.GrainId.Key, activation)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Stops activating and deactivates everything; waits at most <paramref name="timeout"/>.</summary>
    public async Task DeactivateAllAsync(DeactivationReason reason, TimeSpan timeout, TimeProvider time)
    {
        _closed = true;
        var started = time.GetTimestamp();
        var all = Activations.ToArray();
        foreach (var activation in all)
        {
            activation.StartDeactivation(reason);
        }

        await Task.WhenAll(all.Select(a => a.Deactivated)).WaitAsync(timeout, time);

        // Added while the list above was taken: GetOrCreate saw the silo closing and started their deactivation.
        var late = Activations.ToArray();
        if (late.Length > 0)
        {
            var left = timeout - time.GetElapsedTime(started);
            await Task.WhenAll(late.Select(a => a.Deactivated)).WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time);
        }
    }
}
