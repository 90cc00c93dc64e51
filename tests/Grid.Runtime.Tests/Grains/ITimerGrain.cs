using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

public interface ITimerGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period, int tickAwaits);

    Task<TimerReport> Report();
}

public sealed record TimerReport(int Ticks, int MaxConcurrentTicks);
