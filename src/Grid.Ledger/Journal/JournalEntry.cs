using Grid.Ledger.Accounts;

namespace Grid.Ledger.Journal;

/// <summary>
/// One append-only ledger entry of an account. Balances are a projection of these; the account
/// snapshot is only a cache of the projection.
/// </summary>
/// <param name="Sequence">1, 2, 3... per account, no gaps; also the account's version after this entry.</param>
/// <param name="Amount">Credits moved by the entry itself (captured amount for a capture), 0 for status entries. Signed only for adjustments.</param>
/// <param name="Released">Credits a final capture, void or expiry returned from the hold to available.</param>
/// <param name="HoldId">The hold this entry placed or resolved.</param>
/// <param name="HoldAmount">The hold's original amount (hold entries only).</param>
/// <param name="HoldCaptured">Captured on the hold so far, including this entry (hold entries only).</param>
/// <param name="ExpiresAt">The hold's expiry (hold entries only, when it has one).</param>
/// <param name="Reference">What the entry belongs to: payment id, cast id, source of a deposit.</param>
/// <param name="Metadata">Caller's small JSON object, stored as given.</param>
/// <param name="Request">The command's arguments in canonical form; a repeated operation id is compared against it.</param>
public sealed record JournalEntry(
    long Sequence,
    JournalEntryKind Kind,
    long Amount,
    long Released,
    long AvailableAfter,
    long HeldAfter,
    string OperationId,
    string? HoldId,
    long? HoldAmount,
    long? HoldCaptured,
    DateTimeOffset? ExpiresAt,
    string? Reference,
    string? Metadata,
    string Request,
    DateTimeOffset At)
{
    public Balance Balance => new(AvailableAfter, HeldAfter, Sequence);
}
