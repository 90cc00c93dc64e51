namespace Grid.Ledger.Journal;

/// <summary>What a journal entry did. Stored and sent by name (see <see cref="JournalEntryKinds"/>); never renumber.</summary>
public enum JournalEntryKind
{
    /// <summary>The account was opened (amount 0).</summary>
    Open,
    Deposit,
    Debit,
    Hold,
    /// <summary>Part or all of a hold captured; a final capture releases the rest in the same entry.</summary>
    Capture,
    Void,
    Expire,
    /// <summary>Credits paid back out to the payer.</summary>
    Refund,
    /// <summary>A deposit taken back by its rail (card refund, lost dispute, reorged chain payment); may go negative.</summary>
    Reversal,
    /// <summary>An operator's correction, positive or negative.</summary>
    Adjustment,
    Freeze,
    Unfreeze,
    Close,
    /// <summary>Overdraft limit, hold limit or auto-reload threshold changed (amount 0).</summary>
    Settings,
}
