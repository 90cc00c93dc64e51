using Grid.Contracts.Chain;

namespace Grid.Grains.Chain;

/// <summary>A deposit as an alert names it: what it moves and from whom.</summary>
internal static class ChainDepositText
{
    public static string Describe(this ChainDeposit deposit) =>
        $"{deposit.Kind} of {deposit.Amount} {deposit.Token ?? WatchedChain.Ether} from {deposit.Payer}";
}
