using System.Text.Json;
using Grid.Ledger.Journal;

namespace Grid.Gateway.Tests.Support;

/// <summary>Checks on journals read over HTTP (JSON entries) and from the store (<see cref="JournalEntry"/>).</summary>
public static class JournalAssert
{
    /// <summary>An entry from the API says exactly what the stored entry says.</summary>
    public static void Same(JournalEntry stored, JsonElement api)
    {
        Assert.Equal(stored.Sequence, api.GetProperty("sequence").GetInt64());
        Assert.Equal(JournalEntryKinds.Name(stored.Kind), api.GetProperty("kind").GetString());
        Assert.Equal(stored.Amount, api.GetProperty("amount").GetInt64());
        Assert.Equal(stored.Released, api.GetProperty("released").GetInt64());
        Assert.Equal(stored.AvailableAfter, api.GetProperty("available").GetInt64());
        Assert.Equal(stored.HeldAfter, api.GetProperty("held").GetInt64());
        Assert.Equal(stored.OperationId, api.GetProperty("operationId").GetString());
        Assert.Equal(stored.HoldId, api.TryGetProperty("holdId", out var holdId) ? holdId.GetString() : null);
        Assert.Equal(stored.Reference, api.GetProperty("reference").GetString());
        var metadata = api.GetProperty("metadata");
        Assert.Equal(stored.Metadata, metadata.ValueKind == JsonValueKind.Null ? null : metadata.GetRawText());
        Assert.Equal(stored.At, api.GetProperty("at").GetDateTimeOffset());
    }

    /// <summary>The two journals are the same entries in the same order.</summary>
    public static void Same(IReadOnlyList<JournalEntry> stored, IReadOnlyList<JsonElement> api)
    {
        Assert.Equal(stored.Count, api.Count);
        for (var i = 0; i < stored.Count; i++)
        {
            Same(stored[i], api[i]);
        }
    }

    /// <summary>
    /// Replays the journal from nothing: sequences run 1, 2, 3... without a gap, every entry's balance
    /// follows from the one before and its own kind and amounts, held always equals what the open holds
    /// still reserve, and operation ids are unique. Returns the balance after the last entry.
    /// </summary>
    public static (long Available, long Held, long Sequence, IReadOnlyDictionary<string, long> OpenHolds) Replay(IReadOnlyList<JournalEntry> entries)
    {
        long available = 0, held = 0, sequence = 0;
        var open = new Dictionary<string, long>(StringComparer.Ordinal);
        var operations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            Assert.Equal(++sequence, entry.Sequence);
            Assert.True(operations.Add(entry.OperationId), $"operation id {entry.OperationId} appears twice");
            switch (entry.Kind)
            {
                case JournalEntryKind.Deposit:
                case JournalEntryKind.Adjustment:
                    available += entry.Amount;
                    break;
                case JournalEntryKind.Debit:
                case JournalEntryKind.Refund:
                case JournalEntryKind.Reversal:
                    available -= entry.Amount;
                    break;
                case JournalEntryKind.Hold:
                    available -= entry.Amount;
                    held += entry.Amount;
                    open.Add(entry.HoldId!, entry.Amount);
                    break;
                case JournalEntryKind.Capture:
                case JournalEntryKind.Void:
                case JournalEntryKind.Expire:
                    Assert.True(open.TryGetValue(entry.HoldId!, out var remaining), $"entry {entry.Sequence} resolves hold {entry.HoldId}, which is not open");
                    remaining -= entry.Amount + entry.Released;
                    Assert.True(remaining >= 0, $"entry {entry.Sequence} takes more than hold {entry.HoldId} had left");
                    held -= entry.Amount + entry.Released;
                    available += entry.Released;
                    if (remaining == 0 || entry.Kind != JournalEntryKind.Capture || entry.Released > 0)
                    {
                        Assert.Equal(0, remaining);
                        open.Remove(entry.HoldId!);
                    }
                    else
                    {
                        open[entry.HoldId!] = remaining;
                    }

                    break;
                default:
                    Assert.Equal(0, entry.Amount);
                    Assert.Equal(0, entry.Released);
                    break;
            }

            Assert.True(available == entry.AvailableAfter, $"entry {entry.Sequence}: replay says available {available}, entry says {entry.AvailableAfter}");
            Assert.True(held == entry.HeldAfter, $"entry {entry.Sequence}: replay says held {held}, entry says {entry.HeldAfter}");
            Assert.Equal(held, open.Values.Sum());
        }

        return (available, held, sequence, open);
    }
}
