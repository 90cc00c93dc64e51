namespace Grid.Contracts.Chain;

/// <summary>
/// A request for a wallet to pay (API.md <c>POST /v1/payments/onchain</c>). Without <see cref="AccountId"/> the
/// payment credits the wallet's own account (found or opened as a guest when the payment is credited).
/// </summary>
/// <param name="Token">What is paid: <c>ETH</c> or a configured token's symbol (e.g. <c>USDC</c>).</param>
/// <param name="AmountCredits">Credits to buy; null lets the wallet pay any amount, credited at the rate quoted now.</param>
public sealed record OnchainIntent(
    string OperationId,
    string Wallet,
    string? AccountId,
    string Token,
    ulong ChainId,
    long? AmountCredits);
