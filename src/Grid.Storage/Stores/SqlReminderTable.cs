using Grid.Runtime;
using Grid.Runtime.Reminders;
using Grid.Storage.Data;

namespace Grid.Storage.Stores;

/// <summary>
/// Reminders in the reminders table, one row per (grain, name). Times are stored as whole unix
/// milliseconds, so sub-millisecond parts of a start time or period are dropped.
/// </summary>
public sealed class SqlReminderTable(GridDatabase database) : IReminderTable
{
    private const string SelectAllSql =
        "SELECT grain_type, grain_key, name, start_at, period_ms FROM reminders ORDER BY grain_type, grain_key, name";

    private const string UpsertSql =
        "INSERT INTO reminders (grain_type, grain_key, name, start_at, period_ms) " +
        "VALUES (@type, @key, @name, @start_at, @period_ms) " +
        "ON CONFLICT (grain_type, grain_key, name) DO UPDATE SET start_at = excluded.start_at, period_ms = excluded.period_ms";

    private const string DeleteSql = "DELETE FROM reminders WHERE grain_type = @type AND grain_key = @key AND name = @name";

    public async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(SelectAllSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new ReminderEntry(
                new GrainId(reader.GetString(0), reader.GetString(1)),
                reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                TimeSpan.FromMilliseconds(reader.GetInt64(4))));
        }

        return entries;
    }

    public async Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Name);
        ArgumentOutOfRangeException.ThrowIfLessThan(entry.Period, TimeSpan.FromMilliseconds(1), nameof(entry));
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(UpsertSql)
            .With("type", entry.GrainId.Type)
            .With("key", entry.GrainId.Key)
            .With("name", entry.Name)
            .With("start_at", entry.StartAt.ToUnixTimeMilliseconds())
            .With("period_ms", entry.Period.Ticks / TimeSpan.TicksPerMillisecond);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(DeleteSql)
            .With("type", grainId.Type)
            .With("key", grainId.Key)
            .With("name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
