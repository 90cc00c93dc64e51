namespace Grid.Contracts.Chain;

/// <summary>
/// One deposit as read from a log. Its <see cref="Key"/> is (chain id, transaction hash, ordinal among the grid's
/// logs in that transaction): unlike the block-wide log index, it stays the same when a reorg puts the transaction
/// into another block, so a re-included deposit is recognised as the same one.
/// </summary>
/// <param name="Token">The token contract in lower-case hex, or null for ETH.</param>
/// <param name="Amount">The amount in the token's smallest unit (wei for ETH), as a decimal string: it may exceed 64 bits.</param>
/// <param name="Ref">The contract deposit's <c>ref</c> (0x and 64 hex digits); null for a plain transfer.</param>
public sealed record ChainDeposit(
    ulong ChainId,
    string TransactionHash,
    int Ordinal,
    ChainDepositKind Kind,
    string Payer,
    string? Token,
    string Amount,
    string? Ref)
{
    public string Key => $"{ChainId}:{TransactionHash}:{Ordinal}";

    /// <summary>
    /// Whether <paramref name="other"/> moves the same value as this one (kind, payer, token, amount, ref). Under one
    /// <see cref="Key"/> it may not: the key counts the grid's logs in the transaction, so a token listed or unlisted
    /// since, or a transaction a reorg re-ran with other logs, gives the key to another log.
    /// </summary>
    public bool SameContentAs(ChainDeposit other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Kind == other.Kind
            && string.Equals(Token, other.Token, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Payer, other.Payer, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Amount, other.Amount, StringComparison.Ordinal)
            && string.Equals(Ref, other.Ref, StringComparison.OrdinalIgnoreCase);
    }
}
