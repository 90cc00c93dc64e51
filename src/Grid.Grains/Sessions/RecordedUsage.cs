using Grid.Contracts.Sessions;

namespace Grid.Grains.Sessions;

/// <summary>A usage report as applied: its units, its place among the session's reports, and the session as it answered, for replays.</summary>
/// <param name="Answer">Null while payouts it started are pending, or once <paramref name="AnswerDropped"/>.</param>
/// <param name="AnswerDropped">The answer was let go to bound the session's state; a replay answers with the session as it stands.</param>
public sealed record RecordedUsage(long Units, SessionView? Answer, int Ordinal = 0, bool AnswerDropped = false);
