namespace Grid.Ledger.Errors;

/// <summary>The ledger found itself in a state its rules forbid: a bug, never a client error. The account must be reloaded.</summary>
public sealed class LedgerInvariantException(string accountId, string message)
    : InvalidOperationException($"Ledger invariant broken on account {accountId}: {message}");
