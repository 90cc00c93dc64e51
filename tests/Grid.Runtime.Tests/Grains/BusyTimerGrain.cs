using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

internal sealed class BusyTimerGrain : Grain, IBusyTimerGrain
{
    private IDisposable? _timer;
    private int _ticks;

    public Task Arm(TimeSpan due, TimeSpan period)
    {
        _timer = Context.RegisterTimer(_ => { _ticks++; return Task.CompletedTask; }, due, period);
        return Task.CompletedTask;
    }

    public Task Hold(TimeSpan hold) => Task.Delay(hold);

    public async Task ArmHoldThenDisarm(TimeSpan due, TimeSpan hold)
    {
        await Arm(due, TimeSpan.FromHours(1));
        await Task.Delay(hold);
        _timer!.Dispose();
    }

    public Task<int> Ticks() => Task.FromResult(_ticks);
}
