namespace Grid.Ledger.Commands;

/// <summary>Credits in from a payment rail; never refused for being frozen, since the money has arrived.</summary>
public sealed record Deposit(string OperationId, long Amount, string? Reference = null, string? Metadata = null)
    : MovementCommand(OperationId, Amount, Reference, Metadata);
