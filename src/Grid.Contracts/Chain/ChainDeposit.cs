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
}
