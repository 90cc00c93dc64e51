namespace Grid.Contracts.Sessions;

/// <summary>Units used since the last report, identified by the reporter's operation id.</summary>
public sealed record UsageReport(string OperationId, long Units);
