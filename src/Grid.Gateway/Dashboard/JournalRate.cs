namespace Grid.Gateway.Dashboard;

/// <summary>
/// Journal appends: entries made durable in total and per second, entries per append transaction (the mean over
/// the last interval), and append transaction times (ms, quantiles over the last minute).
/// </summary>
public sealed record JournalRate(long Appends, double? AppendsPerSecond, double? MeanBatchSize, double? StorageP50Ms, double? StorageP99Ms);
