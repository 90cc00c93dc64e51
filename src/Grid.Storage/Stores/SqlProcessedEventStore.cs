using System.Data.Common;
using System.Globalization;
using Grid.Ledger.Persistence;
using Grid.Storage.Data;

namespace Grid.Storage.Stores;

/// <summary>The processed_events and payment_links tables (see migration 0006).</summary>
public sealed class SqlProcessedEventStore(GridDatabase database) : IProcessedEventStore
{
    /// <summary>The most object refs one look-up names (a payment has a PaymentIntent and a few charges).</summary>
    public const int MaxObjectRefs = 16;

    /// <summary>The most object refs one look-up of waiting events names (many payments' at once), within every dialect's parameter limit.</summary>
    public const int MaxUnmatchedRefs = 4_096;

    private const string Columns = "source, event_id, type, payment_id, object_ref, outcome, payload, at";

    private const string ExistsSql = "SELECT COUNT(*) FROM processed_events WHERE source = @source AND event_id = @event_id";

    /// <summary>
    /// A row already there is kept as it is, unless it was recorded as matching no payment and the new one names the
    /// payment that applied it: the webhook records an event unmatched, looks again, and finds its payment, which then
    /// applies it; that row must say so, or the event would be taken for one still waiting and adopted again.
    /// </summary>
    internal const string OnConflictSql =
        "ON CONFLICT (source, event_id) DO UPDATE SET payment_id = excluded.payment_id, outcome = excluded.outcome " +
        "WHERE processed_events.payment_id IS NULL AND excluded.payment_id IS NOT NULL";

    /// <summary>Inserts one event (parameters from <see cref="WithEvent"/>); a row already there is kept (see <see cref="OnConflictSql"/>).</summary>
    internal const string InsertSql =
        $"INSERT INTO processed_events ({Columns}) VALUES (@source, @event_id, @type, @payment_id, @object_ref, @outcome, @payload, @at) " +
        OnConflictSql;

    private const string ForPaymentSql = $"SELECT {Columns} FROM processed_events WHERE source = @source AND payment_id = @payment_id";

    private const string AdoptSql =
        "UPDATE processed_events SET payment_id = @payment_id, outcome = @outcome WHERE source = @source AND event_id = @event_id AND payment_id IS NULL";

    private const string LinkSql = "INSERT INTO payment_links (object_id, payment_id) VALUES (@object_id, @payment_id) ON CONFLICT DO NOTHING";

    // The link row first, then the events (UNION ALL alone promises no order), each part kept to one row.
    private const string FindLinkSql =
        "SELECT payment_id FROM (" +
        "SELECT payment_id, 0 AS rank FROM (SELECT payment_id FROM payment_links WHERE object_id = @object_id LIMIT 1) AS linked " +
        "UNION ALL SELECT payment_id, 1 AS rank FROM (SELECT payment_id FROM processed_events WHERE source = @source AND object_ref = @object_id AND payment_id IS NOT NULL LIMIT 1) AS seen" +
        ") AS found ORDER BY rank LIMIT 1";

    private const string UnmatchedSql = $"SELECT {Columns} FROM processed_events WHERE source = @source AND payment_id IS NULL AND object_ref IN (";

    public async Task<bool> ExistsAsync(string source, string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(ExistsSql).With("source", source).With("event_id", eventId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    public async Task<bool> RecordAsync(ProcessedEvent processedEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(processedEvent);
        processedEvent.Validate();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = WithEvent(connection.CreateCommand(InsertSql), processedEvent);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<ProcessedEvent>> ForPaymentAsync(
        string source, string paymentId, IReadOnlyCollection<string> objectRefs, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentId);
        ArgumentNullException.ThrowIfNull(objectRefs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(objectRefs.Count, MaxObjectRefs);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        var sql = ForPaymentSql;
        if (objectRefs.Count > 0)
        {
            var names = string.Join(", ", objectRefs.Select((_, i) => $"@ref{i}"));
            sql += $" OR (source = @source AND payment_id IS NULL AND object_ref IN ({names}))";
        }

        sql += " ORDER BY at, event_id LIMIT @limit";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(sql)
            .With("source", source)
            .With("payment_id", paymentId)
            .With("limit", limit);
        var index = 0;
        foreach (var objectRef in objectRefs)
        {
            command.With($"ref{index++}", objectRef);
        }

        var events = new List<ProcessedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(Read(reader));
        }

        return events;
    }

    public async Task AdoptAsync(string source, string paymentId, IReadOnlyCollection<AdoptedEvent> adopted, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentId);
        ArgumentNullException.ThrowIfNull(adopted);
        if (adopted.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (eventId, outcome) in adopted)
        {
            await using var command = connection.CreateCommand(AdoptSql, transaction)
                .With("source", source)
                .With("event_id", eventId)
                .With("payment_id", paymentId)
                .With("outcome", outcome);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task LinkAsync(string objectId, string paymentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        ArgumentException.ThrowIfNullOrEmpty(paymentId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(LinkSql).With("object_id", objectId).With("payment_id", paymentId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string?> FindLinkAsync(string source, string objectId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(FindLinkSql).With("source", source).With("object_id", objectId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<IReadOnlyList<ProcessedEvent>> FindUnmatchedAsync(
        string source, IReadOnlyCollection<string> objectRefs, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objectRefs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(objectRefs.Count, MaxUnmatchedRefs);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (objectRefs.Count == 0)
        {
            return [];
        }

        var sql = UnmatchedSql + string.Join(", ", objectRefs.Select((_, i) => $"@ref{i}")) + ") ORDER BY at, event_id LIMIT @limit";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(sql).With("source", source).With("limit", limit);
        var index = 0;
        foreach (var objectRef in objectRefs)
        {
            command.With($"ref{index++}", objectRef);
        }

        var events = new List<ProcessedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(Read(reader));
        }

        return events;
    }

    /// <summary>The parameters of <see cref="InsertSql"/>.</summary>
    internal static DbCommand WithEvent(DbCommand command, ProcessedEvent processedEvent) => command
        .With("source", processedEvent.Source)
        .With("event_id", processedEvent.EventId)
        .With("type", processedEvent.Type)
        .With("payment_id", processedEvent.PaymentId)
        .With("object_ref", processedEvent.ObjectRef)
        .With("outcome", processedEvent.Outcome)
        .With("payload", processedEvent.Payload)
        .With("at", processedEvent.At.ToUnixTimeMilliseconds());

    private static ProcessedEvent Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)));
}
