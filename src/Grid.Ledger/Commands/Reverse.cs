namespace Grid.Ledger.Commands;

/// <summary>
/// Takes back a deposit its rail reversed (card refund, lost dispute, reorged chain payment). May take the account
/// negative, unless <paramref name="WithinAvailable"/>: then it is refused (<c>insufficient_funds</c>) rather than take
/// more than the account has, for credits that may have moved on from it (a wallet's guest account), where a debt
/// would stand on an account nobody settles and a person must find where the credits went.
/// </summary>
public sealed record Reverse(string OperationId, long Amount, string? Reference = null, string? Metadata = null, bool WithinAvailable = false)
    : MovementCommand(OperationId, Amount, Reference, Metadata);
