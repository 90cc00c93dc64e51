namespace Grid.Gateway.Siwe;

/// <summary>
/// A move of a wallet's guest balance the ledger refused in a way a person settles: <see cref="OperationId"/> is its
/// debit on the guest account and its deposit on <see cref="ToAccountId"/>, either of which may be in their journals.
/// </summary>
internal sealed record StuckMoveResponse(string OperationId, string ToAccountId, long Amount, string Reason);
