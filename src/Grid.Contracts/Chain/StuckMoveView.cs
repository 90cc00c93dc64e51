namespace Grid.Contracts.Chain;

/// <summary>
/// A move of a wallet's guest balance the ledger refused in a way only a person can settle (the guest debited and the
/// credit refused for good, say). While it stands, no other move of the guest balance begins, so settling it by hand
/// cannot meet a second move of the same credits.
/// </summary>
/// <param name="OperationId">The move's debit id on the guest account, and its deposit id on <paramref name="ToAccountId"/>.</param>
/// <param name="Reason">What the ledger answered.</param>
public sealed record StuckMoveView(string OperationId, string ToAccountId, long Amount, string Reason);
