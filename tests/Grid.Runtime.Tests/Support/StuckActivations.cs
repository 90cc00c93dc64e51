using System.Collections.Concurrent;

namespace Grid.Runtime.Tests.Support;

/// <summary>Which grains have activated once (their first activation hangs), and a hang no token ends.</summary>
internal sealed class StuckActivations
{
    private readonly ConcurrentDictionary<GrainId, bool> _seen = new();
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a first activation has begun to hang.</summary>
    public Task Entered => _entered.Task;

    public bool IsFirst(GrainId grainId) => _seen.TryAdd(grainId, true);

    public Task HangAsync()
    {
        _entered.TrySetResult();
        return _never.Task;
    }
}
