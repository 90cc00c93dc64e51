using System.Data.Common;
using Grid.Ledger.Persistence;
using Grid.Storage.Data;

namespace Grid.Storage.Stores;

/// <summary>
/// The casts table (migration 0008). Rows only move forward: a write whose stage is not past the stored one changes
/// nothing, so a late or repeated write (a redo, a second activation) can never take a cast back.
/// </summary>
public sealed class SqlCastStore(GridDatabase database) : ICastStore
{
    /// <summary>The most casts one <see cref="FindDueAsync"/> returns.</summary>
    public const int MaxDueLimit = 1_000;

    private const string Columns = "cast_id, account_id, stage, due_at, payload, updated_at";

    /// <summary>
    /// Writes one record (parameters from <see cref="WithRecord"/>) unless the stored row has come as far: one row
    /// affected when it was inserted or advanced, none when it was not. The paying account never changes.
    /// </summary>
    internal const string UpsertSql =
        $"INSERT INTO casts ({Columns}) VALUES (@cast_id, @account_id, @stage, @due_at, @payload, @updated_at) " +
        "ON CONFLICT (cast_id) DO UPDATE SET stage = excluded.stage, due_at = excluded.due_at, payload = excluded.payload, " +
        "updated_at = excluded.updated_at WHERE casts.stage < excluded.stage";

    private const string ReadSql = $"SELECT {Columns} FROM casts WHERE cast_id = @cast_id";

    // The partial index casts_due serves it: its condition is repeated here so that SQLite's planner may use it too.
    private const string DueSql =
        $"SELECT {Columns} FROM casts WHERE due_at IS NOT NULL AND due_at <= @now ORDER BY due_at, cast_id LIMIT @limit";

    private const string PostponeSql =
        "UPDATE casts SET due_at = @until WHERE cast_id = @cast_id AND stage = @stage AND due_at = @due_at";

    public async Task<CastRecord?> ReadAsync(string castId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(castId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(ReadSql).With("cast_id", castId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<bool> SaveAsync(CastRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = WithRecord(connection.CreateCommand(UpsertSql), record);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>See <see cref="ICastStore.FindDueAsync"/>; casts due at the same time come by id. <paramref name="limit"/> is 1 to <see cref="MaxDueLimit"/>.</summary>
    public async Task<IReadOnlyList<CastRecord>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxDueLimit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(DueSql)
            .With("now", now.ToUnixTimeMilliseconds())
            .With("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<CastRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(Read(reader));
        }

        return due;
    }

    public async Task<bool> PostponeAsync(CastRecord due, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(due);
        if (due.DueAt is not { } dueAt)
        {
            throw new ArgumentException("An ended cast is not due.", nameof(due));
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(PostponeSql)
            .With("until", until.ToUnixTimeMilliseconds())
            .With("cast_id", due.CastId)
            .With("stage", (int)due.Stage)
            .With("due_at", dueAt.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The parameters of <see cref="UpsertSql"/>.</summary>
    internal static DbCommand WithRecord(DbCommand command, CastRecord record) => command
        .With("cast_id", record.CastId)
        .With("account_id", record.AccountId)
        .With("stage", (int)record.Stage)
        .With("due_at", record.DueAt?.ToUnixTimeMilliseconds())
        .With("payload", record.Payload)
        .With("updated_at", record.UpdatedAt.ToUnixTimeMilliseconds());

    // IsDBNull is synchronous on purpose: without SequentialAccess the whole row is already read.
    private static CastRecord Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        (CastRecordStage)reader.GetInt32(2),
        reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        reader.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
}
