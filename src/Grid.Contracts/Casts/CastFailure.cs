namespace Grid.Contracts.Casts;

/// <summary>Ends a cast that failed: its hold is voided, nothing charged.</summary>
public sealed record CastFailure(string OperationId, string Reason);
