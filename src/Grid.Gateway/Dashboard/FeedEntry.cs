namespace Grid.Gateway.Dashboard;

/// <summary>
/// A journal entry as the live feed shows it. <see cref="Number"/> counts the entries the silo's feed saw, so a
/// reader asks for those after the last one it has.
/// </summary>
public sealed record FeedEntry(long Number, string AccountId, long Sequence, string Kind, long Amount, long AvailableAfter, long HeldAfter, DateTimeOffset At);
