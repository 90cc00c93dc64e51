namespace Grid.Gateway.Payments;

/// <summary>
/// API.md on-chain intent: <c>{paymentId, to, value, data, chainId, expiresAt}</c>, what the wallet signs. For a
/// token, <see cref="Approve"/> is the transaction to send first, so the deposit contract may pull the amount.
/// </summary>
/// <param name="Value">Wei to send, decimal; null for ETH without amountCredits (any amount is credited at the quoted rate).</param>
/// <param name="Claim">For an intent that names no account: what the asker sends as X-Payment-Claim to get the wallet's guest
/// token once credited. The payment id is public (it is the deposit's ref on chain); the claim is not.</param>
internal sealed record OnchainIntentResponse(
    string PaymentId,
    string To,
    string? Value,
    string Data,
    ulong ChainId,
    DateTimeOffset? ExpiresAt,
    string Token,
    string? TokenAmount,
    long? AmountCredits,
    string Status,
    TransactionCall? Approve,
    string? Claim);
