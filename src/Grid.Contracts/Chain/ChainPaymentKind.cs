namespace Grid.Contracts.Chain;

/// <summary>How an on-chain payment came about.</summary>
public enum ChainPaymentKind
{
    /// <summary>Asked for through the gateway; its id is the <c>ref</c> of the deposit that pays it.</summary>
    Intent,

    /// <summary>Found on chain without an intent: a plain transfer, or a contract deposit whose ref names no intent it may pay.</summary>
    Deposit,
}
