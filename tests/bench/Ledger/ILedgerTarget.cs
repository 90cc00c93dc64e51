namespace Grid.Bench.Ledger;

/// <summary>
/// One side of the comparison. Each operation completes only once it is durable; it returns false when
/// the ledger refused it (insufficient funds) and throws for anything else.
/// </summary>
public interface ILedgerTarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Creates and funds the workload's accounts (this side's own ids); later calls use its indexes.</summary>
    Task PrepareAsync(LedgerWorkload workload, CancellationToken cancellationToken);

    Task<bool> HoldAsync(int account, string holdId, long amount);

    Task<bool> CaptureAsync(int account, string operationId, string holdId, long amount);

    Task<bool> DebitAsync(int account, string operationId, long amount);

    Task<bool> DepositAsync(int account, string operationId, long amount);

    /// <summary>Journal rows stored for the prepared workload's accounts, beyond those that set them up.</summary>
    Task<long> CountJournalAsync(CancellationToken cancellationToken);
}
