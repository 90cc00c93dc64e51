using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

/// <summary>A non-reentrant grain with a timer and calls that keep it busy: ticks must wait for them, or be skipped.</summary>
public interface IBusyTimerGrain : IGrainWithStringKey
{
    Task Arm(TimeSpan due, TimeSpan period);

    /// <summary>Keeps the grain busy for <paramref name="hold"/>.</summary>
    Task Hold(TimeSpan hold);

    /// <summary>Keeps the grain busy for <paramref name="hold"/>, then disposes the timer.</summary>
    Task HoldThenDisarm(TimeSpan hold);

    Task<int> Ticks();
}
