using System.Data.Common;
using Grid.Ledger.Accounts;
using Grid.Ledger.Journal;

namespace Grid.Storage.Stores.Ledger;

/// <summary>How a <see cref="JournalEntry"/> is laid out in the journal table, both ways.</summary>
internal static class JournalRows
{
    /// <summary>The columns an insert names and every read selects, in this order.</summary>
    public const string Columns =
        "account_id, sequence, kind, amount, released, available_after, held_after, operation_id, " +
        "hold_id, hold_amount, hold_captured, expires_at, reference, metadata, request, at";

    // The columns after account_id, in the order of Columns, for reading them back.
    private const int Sequence = 1;
    private const int Kind = 2;
    private const int Amount = 3;
    private const int Released = 4;
    private const int AvailableAfter = 5;
    private const int HeldAfter = 6;
    private const int OperationId = 7;
    private const int HoldId = 8;
    private const int HoldAmount = 9;
    private const int HoldCaptured = 10;
    private const int ExpiresAt = 11;
    private const int Reference = 12;
    private const int Metadata = 13;
    private const int Request = 14;
    private const int At = 15;

    public static string StatusName(AccountStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>
    /// The entry on the reader's current row. IsDBNull is synchronous on purpose: both providers read
    /// the whole row before the first column is asked for (no SequentialAccess), so it does no I/O.
    /// </summary>
    public static JournalEntry Read(DbDataReader reader) => new(
        reader.GetInt64(Sequence),
        JournalEntryKinds.Parse(reader.GetString(Kind)),
        reader.GetInt64(Amount),
        reader.GetInt64(Released),
        reader.GetInt64(AvailableAfter),
        reader.GetInt64(HeldAfter),
        reader.GetString(OperationId),
        NullableString(reader, HoldId),
        NullableInt64(reader, HoldAmount),
        NullableInt64(reader, HoldCaptured),
        reader.IsDBNull(ExpiresAt) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ExpiresAt)),
        NullableString(reader, Reference),
        NullableString(reader, Metadata),
        reader.GetString(Request),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(At)));

    /// <summary>Reads every row of the current result.</summary>
    public static async Task<List<JournalEntry>> ReadAllAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader));
        }

        return entries;
    }

    private static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? NullableInt64(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
