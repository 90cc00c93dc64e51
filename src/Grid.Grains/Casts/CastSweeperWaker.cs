using Grid.Contracts.Casts;
using Grid.Runtime;

namespace Grid.Grains.Casts;

/// <summary>
/// Starts the casts' sweeper the first time this silo process starts a cast (its reminder keeps it going after
/// that, on whichever silo owns it), so a grid that runs no casts runs no sweeper. After the first success, free.
/// </summary>
public sealed class CastSweeperWaker(IGrainFactory grains)
{
    private int _started;

    public async Task EnsureStartedAsync()
    {
        if (Volatile.Read(ref _started) == 1)
        {
            return;
        }

        await grains.GetGrain<ICastSweeperGrain>(ICastSweeperGrain.Key).Start();
        Volatile.Write(ref _started, 1);
    }
}
