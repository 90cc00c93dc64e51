using Grid.Contracts.Chain;

namespace Grid.Grains.Chain;

/// <summary>An on-chain payment's persisted state: the intent (if any), the one deposit it holds, and what it credited.</summary>
public sealed class ChainPaymentState
{
    public bool Exists { get; set; }

    public ChainPaymentKind Kind { get; set; }

    public ulong ChainId { get; set; }

    /// <summary><c>ETH</c> or the token's configured symbol.</summary>
    public string Token { get; set; } = "";

    /// <summary>The paying wallet, EIP-55.</summary>
    public string Wallet { get; set; } = "";

    /// <summary>The account credited: chosen at the intent when it named one, else the wallet's when first credited.</summary>
    public string? AccountId { get; set; }

    public string? OperationId { get; set; }

    /// <summary>The account the intent named (kept apart from <see cref="AccountId"/> to compare a repeated request).</summary>
    public string? RequestedAccountId { get; set; }

    public long? AmountCredits { get; set; }

    public string? To { get; set; }

    public string? Value { get; set; }

    public string? Data { get; set; }

    public string? ApproveTo { get; set; }

    public string? ApproveData { get; set; }

    /// <summary>Smallest units quoted (intent) or paid (deposit).</summary>
    public string? TokenAmount { get; set; }

    /// <summary>Credits quoted, then credits owed for what was paid.</summary>
    public long Credits { get; set; }

    /// <summary>The intent's quoted rate (exact fraction), held for deposits in blocks up to <see cref="ExpiresAt"/>.</summary>
    public string? RateNumerator { get; set; }

    public string? RateDenominator { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The deposit this payment holds; once set it never changes (others are handed on), so each deposit has one payment.</summary>
    public ChainDeposit? Deposit { get; set; }

    /// <summary>The deposit is in a block of the current chain.</summary>
    public bool OnChain { get; set; }

    public ulong? BlockNumber { get; set; }

    public string? BlockHash { get; set; }

    public int Confirmations { get; set; }

    public int Required { get; set; }

    /// <summary>Credits so far (a re-inclusion after a reversal credits again, under the next number).</summary>
    public int Generation { get; set; }

    public bool CreditedNow { get; set; }

    /// <summary>
    /// The credit of the next inclusion, fixed (with the account) before the ledger is asked: a redo after a lost
    /// answer sends the very same command, even if the price or the wallet's link changed meanwhile.
    /// </summary>
    public long? PendingCredit { get; set; }

    public long LastCredit { get; set; }

    /// <summary>
    /// The credited account's journal sequence of the standing credit: on a wallet's guest account, whether a move to a
    /// linked account came after it (and may have taken it along) is read from it. Null in states written before it was kept.
    /// </summary>
    public long? LastCreditSequence { get; set; }

    /// <summary>The reversal of the standing credit was sent and not answered yet: it is sent again before anything else.</summary>
    public bool ReversalSent { get; set; }

    /// <summary>The standing credit was made by a resend after its deposit was gone, and handed on to no one.</summary>
    public bool CreditMadeAfterDepositGone { get; set; }

    public long Credited { get; set; }

    public long Reversed { get; set; }

    public string? ReviewReason { get; set; }
}
