using Grid.Contracts.Chain;

namespace Grid.Grains.Chain;

/// <summary>A deposit and the block its log was read from.</summary>
public sealed record DepositLog(ChainDeposit Deposit, ulong BlockNumber, string BlockHash);
