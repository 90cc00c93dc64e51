namespace Grid.Contracts.Chain;

/// <summary>How a deposit reached the grid on chain.</summary>
public enum ChainDepositKind
{
    /// <summary>A <c>Deposited</c> event of the grid's deposit contract (ETH or a token), carrying a <c>ref</c>.</summary>
    Contract,

    /// <summary>A plain ERC-20 <c>Transfer</c> to a treasury address: credited to the sending wallet's account.</summary>
    Transfer,
}
