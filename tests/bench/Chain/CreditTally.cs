namespace Grid.Bench.Chain;

/// <summary>The chain credits recorded so far (processed_events rows), and when the first and the last were made.</summary>
public sealed record CreditTally(long Count, DateTimeOffset? First, DateTimeOffset? Last);
