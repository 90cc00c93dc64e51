using System.Text.Json.Serialization;
using Grid.Ledger.Journal;

namespace Grid.Gateway.Accounts;

/// <summary>
/// A journal entry on the wire (API.md): <c>available</c> and <c>held</c> are the balance right after it,
/// <c>kind</c> its lower-case name, <c>metadata</c> the caller's JSON object as given.
/// </summary>
internal sealed record EntryResponse(
    long Sequence,
    string Kind,
    long Amount,
    long Released,
    long Available,
    long Held,
    string OperationId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HoldId,
    string? Reference,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Metadata,
    DateTimeOffset At)
{
    public static EntryResponse From(JournalEntry entry) => new(
        entry.Sequence,
        JournalEntryKinds.Name(entry.Kind),
        entry.Amount,
        entry.Released,
        entry.AvailableAfter,
        entry.HeldAfter,
        entry.OperationId,
        entry.HoldId,
        entry.Reference,
        entry.Metadata,
        entry.At);
}
