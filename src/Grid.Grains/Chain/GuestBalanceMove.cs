namespace Grid.Grains.Chain;

/// <summary>
/// A move of a wallet's guest balance to the account the wallet was just linked to, written down before the ledger is
/// asked, so a silo that stops halfway finishes it with the same operation ids (the ledger's idempotency makes each
/// step happen once). <see cref="Attempt"/> grows only when the guest refused a debit, which writes nothing under the
/// old id.
/// </summary>
public sealed record GuestBalanceMove
{
    /// <summary>Random, so nobody holding a token for the guest account can take the move's operation ids first.</summary>
    public required string MoveId { get; init; }

    public required string ToAccountId { get; init; }

    /// <summary>What the move takes from the guest: its available balance when the move began (or was retried).</summary>
    public required long Amount { get; init; }

    public int Attempt { get; init; }

    /// <summary>
    /// Set when the ledger refused a step in a way that leaves the move's outcome for a person to settle (the guest
    /// debited and the credit refused for good, or an id taken by another command). A stuck move is never retried and
    /// holds up no link or sign-in, but no other move begins past it (settling it by hand must not meet a second move of
    /// the same credits): it stays in the wallet's state, the log names it, and the operator releases it once settled.
    /// </summary>
    public string? Stuck { get; init; }

    /// <summary>The debit's id on the guest account and the deposit's on the linked one.</summary>
    public string OperationId() => $"wallet-link:{MoveId}:{Attempt}";
}
