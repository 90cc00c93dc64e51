using Grid.Contracts.Chain;

namespace Grid.Grains.Chain;

/// <summary>
/// A deposit in a block the watcher still follows: inside the reorg window, or not yet settled by its payment.
/// </summary>
/// <param name="PaymentId">The payment the sighting went to (it may hand it on; it always does the same for the same deposit).</param>
/// <param name="Settled">Its payment is done with it (credited, or kept for review): only a reorg brings it back.</param>
/// <param name="Credited">Its payment credited it: a reorg that drops it must take the credit back.</param>
public sealed record TrackedDeposit(ChainDeposit Deposit, ulong BlockNumber, string BlockHash, DateTimeOffset BlockTime, string PaymentId, bool Settled, bool Credited, int ReportedConfirmations);
