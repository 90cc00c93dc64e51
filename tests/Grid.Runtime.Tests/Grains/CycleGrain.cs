using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

internal sealed class CycleGrain : Grain, ICycleGrain
{
    public async Task<string> Relay(string[] path, int position)
    {
        if (position == path.Length)
        {
            return GrainId.Key;
        }

        await Task.Yield();
        return await GrainFactory.GetGrain<ICycleGrain>(path[position]).Relay(path, position + 1);
    }
}
