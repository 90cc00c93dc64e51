using Grid.Runtime;

namespace Grid.Contracts.Chain;

/// <summary>
/// One on-chain payment (key: payment id). Either an intent a wallet was asked to pay (its id travels on chain as
/// the deposit's <c>ref</c>), or a deposit that arrived without one (its id derived from the deposit's key). It
/// credits its account once per confirmed inclusion of its deposit and reverses a credit whose block was reorged
/// away. Only the chain watcher reports sightings: nothing a client says is taken as proof of payment.
/// </summary>
public interface IChainPaymentGrain : IGrainWithStringKey
{
    /// <summary>Records an intent (or returns the one recorded under the same id; another body is a conflict).</summary>
    Task<ChainPaymentView> CreateIntent(OnchainIntent intent);

    /// <summary>The deposit is in a block that is not deep enough yet.</summary>
    Task Observe(DepositSighting sighting);

    /// <summary>The deposit's block is deep enough (or finalized): credit it once.</summary>
    Task<ConfirmOutcome> Confirm(DepositSighting sighting);

    /// <summary>The block that held the deposit, not yet credited as far as the caller knows, was reorged away (a payment that did credit it reverts).</summary>
    Task Drop(ChainDeposit deposit);

    /// <summary>The block that held the credited deposit was reorged away, deeper than the confirmations: take the credit back.</summary>
    Task Revert(ChainDeposit deposit);

    /// <summary>The payment, or null when no payment has this id.</summary>
    [Idempotent]
    Task<ChainPaymentView?> Get();
}
