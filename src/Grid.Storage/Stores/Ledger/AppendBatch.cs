using Grid.Ledger.Journal;
using Grid.Ledger.Persistence;

namespace Grid.Storage.Stores.Ledger;

/// <summary>
/// The appends of one <see cref="ILedgerStore.AppendAsync"/> call, checked and with one append per
/// account, so each writer fences every account exactly once.
/// </summary>
internal static class AppendBatch
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> for an append that is not well formed. An account that
    /// appears again continuing where its previous append ends (a writer that merged two consecutive
    /// writes) becomes one append; one that appears again from any other sequence could never apply
    /// after the first, so it is a <see cref="LedgerConflictException"/> and nothing is written.
    /// </summary>
    public static IReadOnlyList<AccountAppend> Prepare(IReadOnlyList<AccountAppend> appends)
    {
        ArgumentNullException.ThrowIfNull(appends);
        foreach (var append in appends)
        {
            Validate(append);
        }

        if (appends.Count == 1)
        {
            return appends;
        }

        var merged = new List<AccountAppend>(appends.Count);
        var byAccount = new Dictionary<string, int>(appends.Count, StringComparer.Ordinal);
        foreach (var append in appends)
        {
            if (!byAccount.TryGetValue(append.AccountId, out var index))
            {
                byAccount.Add(append.AccountId, merged.Count);
                merged.Add(append);
                continue;
            }

            var previous = merged[index];
            if (append.ExpectedSequence != previous.Snapshot.Sequence)
            {
                throw new LedgerConflictException(append.AccountId, append.ExpectedSequence);
            }

            merged[index] = previous with
            {
                Snapshot = append.Snapshot,
                Entries = [.. previous.Entries, .. append.Entries],
                Events = [.. previous.Events, .. append.Events],
                Usage = [.. previous.Usage, .. append.Usage],
                Casts = [.. previous.Casts, .. append.Casts],
            };
        }

        return merged;
    }

    private static void Validate(AccountAppend? append)
    {
        if (append is null)
        {
            throw new ArgumentException("An append is null.", "appends");
        }

        if (append.Snapshot is null || string.IsNullOrEmpty(append.Snapshot.AccountId))
        {
            throw new ArgumentException("An append has no snapshot or no account id.", "appends");
        }

        var account = append.AccountId;
        if (append.ExpectedSequence < 0)
        {
            throw new ArgumentException($"Append of account {account} expects sequence {append.ExpectedSequence}; sequences start at 0.", "appends");
        }

        if (append.Entries is not { Count: > 0 } entries)
        {
            throw new ArgumentException($"Append of account {account} has no entries.", "appends");
        }

        var expected = append.ExpectedSequence;
        foreach (var entry in entries)
        {
            expected++;
            Check(entry, account, expected);
        }

        foreach (var recorded in append.Events ?? throw new ArgumentException($"Append of account {account} has null events.", "appends"))
        {
            if (recorded is null)
            {
                throw new ArgumentException($"Append of account {account} has a null event.", "appends");
            }

            recorded.Validate();
        }

        foreach (var usage in append.Usage ?? throw new ArgumentException($"Append of account {account} has null usage.", "appends"))
        {
            if (usage is null)
            {
                throw new ArgumentException($"Append of account {account} has a null usage record.", "appends");
            }

            usage.Validate();
        }

        foreach (var cast in append.Casts ?? throw new ArgumentException($"Append of account {account} has null casts.", "appends"))
        {
            if (cast is null)
            {
                throw new ArgumentException($"Append of account {account} has a null cast record.", "appends");
            }

            cast.Validate();
        }

        if (append.Snapshot.Sequence != expected)
        {
            throw new ArgumentException(
                $"Append of account {account} ends its entries at sequence {expected} but its snapshot is at {append.Snapshot.Sequence}.", "appends");
        }
    }

    private static void Check(JournalEntry? entry, string account, long expected)
    {
        if (entry is null)
        {
            throw new ArgumentException($"Append of account {account} has a null entry.", "appends");
        }

        if (entry.Sequence != expected)
        {
            throw new ArgumentException(
                $"Append of account {account} has entry sequence {entry.Sequence} where {expected} must come; entries run from the expected sequence + 1 without gaps.", "appends");
        }

        if (string.IsNullOrEmpty(entry.OperationId) || entry.Request is null)
        {
            throw new ArgumentException($"Entry {expected} of account {account} has no operation id or no request.", "appends");
        }
    }
}
