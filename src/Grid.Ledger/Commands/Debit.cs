namespace Grid.Ledger.Commands;

/// <summary>Spends available credits at once (down to minus the overdraft limit).</summary>
public sealed record Debit(string OperationId, long Amount, string? Reference = null, string? Metadata = null)
    : MovementCommand(OperationId, Amount, Reference, Metadata);
