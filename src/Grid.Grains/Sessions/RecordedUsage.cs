using Grid.Contracts.Sessions;

namespace Grid.Grains.Sessions;

/// <summary>A usage report as applied: its units, and the session as it answered, for replays.</summary>
public sealed record RecordedUsage(long Units, SessionView? Answer);
