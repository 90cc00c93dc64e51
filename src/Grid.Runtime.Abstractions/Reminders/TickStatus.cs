namespace Grid.Runtime;

/// <summary>When a reminder was due (its first due time, period and this tick's due time).</summary>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);
