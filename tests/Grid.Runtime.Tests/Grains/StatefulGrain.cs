using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

internal sealed class StatefulGrain(
    [PersistentState("total")] IPersistentState<TotalState> state,
    ActivationLog log) : LoggedGrain(log), IStatefulGrain
{
    public async Task<long> Add(long amount)
    {
        state.State.Total += amount;
        await state.WriteStateAsync();
        return state.State.Total;
    }

    public Task<long> Get() => Task.FromResult(state.State.Total);

    public Task<string?> ETag() => Task.FromResult(state.ETag);

    public Task Clear() => state.ClearStateAsync();
}
