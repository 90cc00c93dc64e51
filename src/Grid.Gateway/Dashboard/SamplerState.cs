namespace Grid.Gateway.Dashboard;

/// <summary>
/// The sampler itself: whether it runs (only while a dashboard stream is open), how many samples it took since the
/// silo started, how many streams are open, and its interval.
/// </summary>
public sealed record SamplerState(bool Running, long Ticks, int Viewers, int IntervalMs);
