namespace Grid.Contracts.Sessions;

/// <summary>How a metered session's usage is recorded: one row per session, written when it closes.</summary>
public static class SessionUsage
{
    /// <summary>The usage row's source, and the kind usage summaries count it under (so no cast may take it).</summary>
    public const string Kind = "session";
}
