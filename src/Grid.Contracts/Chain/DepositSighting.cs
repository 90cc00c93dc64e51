namespace Grid.Contracts.Chain;

/// <summary>A deposit in a block of the current chain, and how deep that block is.</summary>
/// <param name="Confirmations">Blocks from the deposit's block to the head, both counted (1 when in the head block).</param>
/// <param name="Required">Confirmations the chain is configured to wait for.</param>
/// <param name="AccountId">Set by an intent handing a further deposit of its own wallet on: the account that deposit credits.</param>
public sealed record DepositSighting(
    ChainDeposit Deposit,
    ulong BlockNumber,
    string BlockHash,
    DateTimeOffset BlockTime,
    int Confirmations,
    int Required,
    string? AccountId = null);
