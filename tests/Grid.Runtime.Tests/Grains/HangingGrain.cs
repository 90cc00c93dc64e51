using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

internal sealed class HangingGrain(Gate gate) : Grain, IHangingGrain
{
    private readonly TaskCompletionSource _never = new();
    private int _answers;

    public Task Hang() => _never.Task;

    public Task HangBriefly() => _never.Task;

    public Task Block() => gate.WaitAsync();

    public Task<int> Answer() => Task.FromResult(++_answers);
}
