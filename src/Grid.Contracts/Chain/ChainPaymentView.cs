using Grid.Contracts.Payments;

namespace Grid.Contracts.Chain;

/// <summary>An on-chain payment as callers see it.</summary>
/// <param name="AccountId">The account credited, or to be credited; null while a wallet's account is not chosen yet.</param>
/// <param name="To">For an intent: the address the wallet sends its transaction to (the deposit contract).</param>
/// <param name="Value">For an intent: the wei the transaction sends (0 for a token), as a decimal string.</param>
/// <param name="Data">For an intent: the transaction's calldata, 0x-hex.</param>
/// <param name="ApproveTo">For a token intent: the token, whose <c>approve</c> the wallet sends first.</param>
/// <param name="ApproveData">For a token intent: <c>approve(depositContract, amount)</c> calldata.</param>
/// <param name="TokenAmount">The amount quoted (intent) or paid (deposit) in the token's smallest unit, decimal.</param>
/// <param name="Credits">Credits quoted (intent with an amount) or owed for what was paid; 0 when unknown yet.</param>
/// <param name="Credited">Credits deposited to the account and not reversed.</param>
/// <param name="Reversed">Credits taken back after reorgs.</param>
/// <param name="WalletGuest">True when the credited account is the paying wallet's own guest account.</param>
public sealed record ChainPaymentView(
    string PaymentId,
    ChainPaymentKind Kind,
    PaymentStatus Status,
    ulong ChainId,
    string Token,
    string Wallet,
    string? AccountId,
    string? To,
    string? Value,
    string? Data,
    string? ApproveTo,
    string? ApproveData,
    string? TokenAmount,
    long Credits,
    long Credited,
    long Reversed,
    int Confirmations,
    int Required,
    string? TransactionHash,
    bool WalletGuest,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt);
