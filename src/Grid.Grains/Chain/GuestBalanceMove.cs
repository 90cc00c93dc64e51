namespace Grid.Grains.Chain;

/// <summary>
/// A move of a wallet's guest balance to the account the wallet was just linked to, written down before the ledger is
/// asked, so a silo that stops halfway finishes it with the same operation ids (the ledger's idempotency makes each
/// step happen once). <see cref="Attempt"/> grows only when the guest refused a debit, so no entry exists under the
/// old ids.
/// </summary>
public sealed class GuestBalanceMove
{
    /// <summary>Random, so nobody holding a token for the guest account can take the move's operation ids first.</summary>
    public required string MoveId { get; init; }

    public required string ToAccountId { get; init; }

    /// <summary>What the move takes from the guest: its available balance when the move began (or was retried).</summary>
    public required long Amount { get; set; }

    public int Attempt { get; set; }

    /// <summary>The debit's id on the guest account and the deposit's on the linked one.</summary>
    public string OperationId() => $"wallet-link:{MoveId}:{Attempt}";
}
