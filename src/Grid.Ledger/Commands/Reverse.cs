namespace Grid.Ledger.Commands;

/// <summary>Takes back a deposit its rail reversed (card refund, lost dispute, reorged chain payment). May take the account negative.</summary>
public sealed record Reverse(string OperationId, long Amount, string? Reference = null, string? Metadata = null)
    : MovementCommand(OperationId, Amount, Reference, Metadata);
