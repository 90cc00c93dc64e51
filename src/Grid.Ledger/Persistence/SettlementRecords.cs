namespace Grid.Ledger.Persistence;

/// <summary>
/// Records a spending command settles, written in the same transaction as the command's journal entry
/// (<see cref="AccountAppend.Casts"/>, <see cref="AccountAppend.Usage"/>): the cast as it stands after the entry, and
/// the usage its ending records.
/// </summary>
public sealed record SettlementRecords(CastRecord? Cast, UsageRecord? Usage)
{
    public void Validate()
    {
        if (Cast is null && Usage is null)
        {
            throw new ArgumentException("A settlement carries a cast record, a usage record or both.");
        }

        Cast?.Validate();
        Usage?.Validate();
    }
}
