using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

/// <summary>A non-reentrant grain with a timer and calls that keep it busy: ticks must wait for them, or be skipped.</summary>
public interface IBusyTimerGrain : IGrainWithStringKey
{
    Task Arm(TimeSpan due, TimeSpan period);

    /// <summary>Keeps the grain busy for <paramref name="hold"/>.</summary>
    Task Hold(TimeSpan hold);

    /// <summary>
    /// Arms a timer due after <paramref name="due"/> (an hour's period), keeps the grain busy for <paramref name="hold"/>,
    /// then disposes the timer: all in one call, so the tick comes due while the call runs however slow the caller.
    /// </summary>
    Task ArmHoldThenDisarm(TimeSpan due, TimeSpan hold);

    Task<int> Ticks();
}
