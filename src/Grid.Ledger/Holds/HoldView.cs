using Grid.Ledger.Journal;

namespace Grid.Ledger.Holds;

/// <summary>A hold as callers see it (API.md hold object).</summary>
public sealed record HoldView(string Id, long Amount, long Captured, HoldStatus Status, DateTimeOffset? ExpiresAt, string? Reference)
{
    public static HoldView From(Hold hold) => new(hold.Id, hold.Amount, hold.Captured, hold.Status, hold.ExpiresAt, hold.Reference);

    /// <summary>The hold as it stood right after a hold, capture, void or expire entry.</summary>
    public static HoldView? After(JournalEntry entry)
    {
        if (entry is not { HoldId: { } id, HoldAmount: { } amount, HoldCaptured: { } captured })
        {
            return null;
        }

        var status = entry.Kind switch
        {
            JournalEntryKind.Void => HoldStatus.Voided,
            JournalEntryKind.Expire => HoldStatus.Expired,
            // Releases only happen when a hold closes, so a capture closed it iff nothing is left over.
            JournalEntryKind.Capture when captured + entry.Released == amount => HoldStatus.Captured,
            _ => HoldStatus.Open,
        };
        return new HoldView(id, amount, captured, status, entry.ExpiresAt, entry.Reference);
    }
}
