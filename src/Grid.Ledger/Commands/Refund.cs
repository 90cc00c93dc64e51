namespace Grid.Ledger.Commands;

/// <summary>Pays credits back out to the payer; needs them available, never goes below zero.</summary>
public sealed record Refund(string OperationId, long Amount, string? Reference = null, string? Metadata = null)
    : MovementCommand(OperationId, Amount, Reference, Metadata);
