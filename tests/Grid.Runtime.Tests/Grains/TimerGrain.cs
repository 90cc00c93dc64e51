using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

[Reentrant]
internal sealed class TimerGrain : Grain, ITimerGrain
{
    private int _ticks;
    private int _running;
    private int _maxRunning;
    private IDisposable? _timer;

    public Task Start(TimeSpan period, int tickAwaits)
    {
        _timer?.Dispose();
        _timer = Context.RegisterTimer(
            async _ =>
            {
                _maxRunning = Math.Max(_maxRunning, ++_running);
                for (var i = 0; i < tickAwaits; i++)
                {
                    await Task.Delay(2);
                }

                _ticks++;
                _running--;
            },
            period,
            period);
        return Task.CompletedTask;
    }

    public Task<TimerReport> Report() => Task.FromResult(new TimerReport(_ticks, _maxRunning));
}
