using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Holds;
using Grid.Ledger.Persistence;
using Grid.Runtime;

namespace Grid.Contracts.Accounts;

/// <summary>
/// One billing account (key: account id). Every change is a <see cref="LedgerCommand"/> with an operation
/// id; the result is acknowledged only once its journal entry is durable. Refusals throw
/// <see cref="Grid.Ledger.Errors.LedgerException"/> with a stable code; <c>unavailable</c> means the store
/// did not confirm and the same command may be sent again.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Applies a command: open, deposit, debit, refund, reverse, adjust, hold, capture, void, freeze, unfreeze, close, settings.</summary>
    [Idempotent] // by the command's operation id
    Task<LedgerResult> Execute(LedgerCommand command);

    /// <summary>
    /// Applies a command a payment rail's event caused, and records <paramref name="processedEvent"/> in the same
    /// transaction as the command's entry. When the command is a replay (<see cref="LedgerResult.Replayed"/>),
    /// nothing is written and the caller records the event itself.
    /// </summary>
    [Idempotent] // by the command's operation id; the event record is written at most once
    Task<LedgerResult> ExecuteRecording(LedgerCommand command, ProcessedEvent processedEvent);

    /// <summary>
    /// Applies a command a cast settles (its hold, capture, void or shortfall) and writes <paramref name="records"/> in the
    /// same transaction as the command's entry. When the command is a replay, nothing is written: the records went
    /// with the entry the first time.
    /// </summary>
    [Idempotent] // by the command's operation id; the records go with its entry only
    Task<LedgerResult> ExecuteSettling(LedgerCommand command, SettlementRecords records);

    /// <summary>The account as last made durable, or null when it was never opened.</summary>
    [Idempotent]
    Task<AccountView?> Get();

    /// <summary>Balance as of the last durable entry; never anything not yet written.</summary>
    [Idempotent]
    Task<Balance> GetBalance();

    [Idempotent]
    Task<IReadOnlyList<HoldView>> GetHolds();

    /// <summary>Entries after <paramref name="afterSequence"/>, ascending, at most <paramref name="limit"/> (1..1000).</summary>
    [Idempotent]
    Task<JournalPage> GetJournal(long afterSequence, int limit);
}
