namespace Grid.Runtime;

/// <summary>Bounds every reminder's schedule keeps, for options that configure one to check against.</summary>
public static class ReminderLimits
{
    /// <summary>
    /// The longest due time and period a reminder may have: years of schedule fit a date, and a period near
    /// <see cref="TimeSpan.MaxValue"/> would overflow the next due time on the timer's thread, on every silo that loads it.
    /// </summary>
    public static readonly TimeSpan MaxSchedule = TimeSpan.FromDays(1_000);
}
