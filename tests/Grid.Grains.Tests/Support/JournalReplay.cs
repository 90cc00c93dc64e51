using Grid.Ledger.Accounts;
using Grid.Ledger.Journal;
using Xunit;

namespace Grid.Grains.Tests.Support;

/// <summary>
/// An account's state computed by the test from its stored journal alone, entry by entry, checking on
/// the way that every entry follows from the ones before it and keeps DESIGN.md section 4's rules.
/// </summary>
public sealed class JournalReplay
{
    private readonly Dictionary<string, (long Amount, long Captured, DateTimeOffset? ExpiresAt)> _openHolds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _closedHolds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _operations = new(StringComparer.Ordinal);
    private readonly long _overdraftLimit;

    public JournalReplay(string accountId, long overdraftLimit)
    {
        AccountId = accountId;
        _overdraftLimit = overdraftLimit;
    }

    public string AccountId { get; }

    public long Available { get; private set; }

    public long Held { get; private set; }

    public long Sequence { get; private set; }

    public LedgerTotals Totals { get; private set; } = LedgerTotals.Zero;

    public IReadOnlyDictionary<string, (long Amount, long Captured, DateTimeOffset? ExpiresAt)> OpenHolds => _openHolds;

    public void Apply(JournalEntry entry)
    {
        var where = $"account {AccountId} entry #{entry.Sequence} ({JournalEntryKinds.Name(entry.Kind)} {entry.OperationId})";
        Assert.True(entry.Sequence == Sequence + 1, $"{where}: follows #{Sequence}");
        Assert.True(_operations.Add(entry.OperationId), $"{where}: operation id appears twice in the journal");
        var (available, held) = (Available, Held);
        switch (entry.Kind)
        {
            case JournalEntryKind.Deposit:
                available += entry.Amount;
                Totals = Totals with { Deposited = Totals.Deposited + entry.Amount };
                break;
            case JournalEntryKind.Debit:
                available -= entry.Amount;
                Totals = Totals with { Debited = Totals.Debited + entry.Amount };
                break;
            case JournalEntryKind.Refund:
                available -= entry.Amount;
                Totals = Totals with { Refunded = Totals.Refunded + entry.Amount };
                break;
            case JournalEntryKind.Reversal:
                available -= entry.Amount;
                Totals = Totals with { Reversed = Totals.Reversed + entry.Amount };
                break;
            case JournalEntryKind.Adjustment:
                available += entry.Amount;
                Totals = Totals with { Adjusted = Totals.Adjusted + entry.Amount };
                break;
            case JournalEntryKind.Hold:
                Assert.True(entry.HoldId == entry.OperationId && entry.HoldAmount == entry.Amount && entry.HoldCaptured == 0, $"{where}: hold fields");
                Assert.False(_openHolds.ContainsKey(entry.HoldId!) || _closedHolds.Contains(entry.HoldId!), $"{where}: hold placed twice");
                available -= entry.Amount;
                held += entry.Amount;
                _openHolds.Add(entry.HoldId!, (entry.Amount, 0, entry.ExpiresAt));
                break;
            case JournalEntryKind.Capture:
            {
                var hold = OpenHold(entry, where);
                var captured = hold.Captured + entry.Amount;
                Assert.True(captured <= hold.Amount && entry.HoldCaptured == captured, $"{where}: captures {captured} of {hold.Amount}, entry says {entry.HoldCaptured}");
                Assert.True(entry.Released == 0 || captured + entry.Released == hold.Amount, $"{where}: releases {entry.Released} of what is left");
                available += entry.Released;
                held -= entry.Amount + entry.Released;
                Totals = Totals with { Captured = Totals.Captured + entry.Amount };
                if (captured + entry.Released == hold.Amount)
                {
                    Close(entry.HoldId!);
                }
                else
                {
                    _openHolds[entry.HoldId!] = hold with { Captured = captured };
                }

                break;
            }

            case JournalEntryKind.Void or JournalEntryKind.Expire:
            {
                var hold = OpenHold(entry, where);
                Assert.True(entry.Amount == 0 && entry.Released == hold.Amount - hold.Captured, $"{where}: releases {entry.Released}, {hold.Amount - hold.Captured} was left");
                if (entry.Kind == JournalEntryKind.Expire)
                {
                    Assert.True(hold.ExpiresAt is { } expiresAt && expiresAt <= entry.At, $"{where}: expired a hold due at {hold.ExpiresAt}");
                }

                available += entry.Released;
                held -= entry.Released;
                Close(entry.HoldId!);
                break;
            }
        }

        Assert.True(
            (entry.AvailableAfter, entry.HeldAfter) == (available, held),
            $"{where}: says {entry.AvailableAfter}/{entry.HeldAfter}, the journal before it adds up to {available}/{held}");
        Assert.True(held == _openHolds.Values.Sum(h => h.Amount - h.Captured), $"{where}: held {held} is not the sum of open holds");
        if (entry.Kind is JournalEntryKind.Debit or JournalEntryKind.Hold)
        {
            Assert.True(available >= -_overdraftLimit, $"{where}: took available to {available}, beyond the overdraft limit {_overdraftLimit}");
        }

        if (entry.Kind == JournalEntryKind.Refund)
        {
            Assert.True(available >= 0, $"{where}: refund took available to {available}");
        }

        Assert.True(Totals.Net == available + held, $"{where}: totals {Totals.Net} but available + held is {available + held}");
        (Available, Held, Sequence) = (available, held, entry.Sequence);
    }

    /// <summary>Checks a stored snapshot against what the journal adds up to.</summary>
    public void AssertMatches(AccountSnapshot snapshot)
    {
        Assert.Equal((AccountId, Sequence, Available, Held), (snapshot.AccountId, snapshot.Sequence, snapshot.Available, snapshot.Held));
        Assert.Equal(Totals, snapshot.Totals);
        Assert.Equal(
            _openHolds.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => (h.Key, h.Value.Amount, h.Value.Captured, h.Value.ExpiresAt)),
            snapshot.OpenHolds.OrderBy(h => h.Id, StringComparer.Ordinal).Select(h => (h.Id, h.Amount, h.Captured, h.ExpiresAt)));
    }

    private (long Amount, long Captured, DateTimeOffset? ExpiresAt) OpenHold(JournalEntry entry, string where)
    {
        Assert.True(entry.HoldId is { } id && _openHolds.ContainsKey(id), $"{where}: resolves hold {entry.HoldId}, which is not open");
        var hold = _openHolds[entry.HoldId!];
        Assert.True(entry.HoldAmount == hold.Amount, $"{where}: hold amount {entry.HoldAmount}, placed {hold.Amount}");
        return hold;
    }

    private void Close(string holdId)
    {
        _openHolds.Remove(holdId);
        _closedHolds.Add(holdId);
    }
}
