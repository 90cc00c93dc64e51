using System.Data.Common;
using Grid.Runtime.Membership;
using Grid.Storage.Data;

namespace Grid.Storage.Stores;

/// <summary>The membership table: one row per silo process, times as unix milliseconds.</summary>
public sealed class SqlMembershipTable(GridDatabase database) : IMembershipTable
{
    private const string SelectAllSql =
        "SELECT silo_id, name, endpoint, started_at, heartbeat_at, status FROM membership ORDER BY silo_id";

    private const string UpsertSql =
        "INSERT INTO membership (silo_id, name, endpoint, started_at, heartbeat_at, status) " +
        "VALUES (@silo_id, @name, @endpoint, @started_at, @heartbeat_at, @status) " +
        "ON CONFLICT (silo_id) DO UPDATE SET name = excluded.name, endpoint = excluded.endpoint, " +
        "started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, status = excluded.status";

    // A heartbeat never moves backwards, and never revives a silo that left. It always moves, though (by a millisecond
    // when the silo's clock stepped back): readers take a heartbeat that stopped changing for a silo that stopped.
    private const string HeartbeatSql =
        "UPDATE membership SET heartbeat_at = CASE WHEN heartbeat_at >= @at THEN heartbeat_at + 1 ELSE @at END " +
        "WHERE silo_id = @silo_id AND status = 'active'";

    private const string RemoveDepartedSql =
        "DELETE FROM membership WHERE (status <> 'active' AND heartbeat_at < @before) OR heartbeat_at < @active_before";

    private const string RemoveSilentSql = "DELETE FROM membership WHERE silo_id = @silo_id AND heartbeat_at = @heartbeat_at";

    public async Task<IReadOnlyList<MembershipEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(SelectAllSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<MembershipEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    public async Task UpsertAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.SiloId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(UpsertSql)
            .With("silo_id", entry.SiloId)
            .With("name", entry.Name)
            .With("endpoint", entry.Endpoint)
            .With("started_at", entry.StartedAt.ToUnixTimeMilliseconds())
            .With("heartbeat_at", entry.HeartbeatAt.ToUnixTimeMilliseconds())
            .With("status", StatusName(entry.Status));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> HeartbeatAsync(string siloId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(siloId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(HeartbeatSql)
            .With("silo_id", siloId)
            .With("at", at.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<int> RemoveDepartedAsync(DateTimeOffset before, DateTimeOffset activeBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(RemoveDepartedSql)
            .With("before", before.ToUnixTimeMilliseconds())
            .With("active_before", activeBefore.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RemoveSilentAsync(string siloId, DateTimeOffset heartbeatAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(siloId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(RemoveSilentSql)
            .With("silo_id", siloId)
            .With("heartbeat_at", heartbeatAt.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static MembershipEntry Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        reader.GetString(5) switch
        {
            "active" => SiloStatus.Active,
            "leaving" => SiloStatus.Leaving,
            "dead" => SiloStatus.Dead,
            var other => throw new InvalidDataException($"Membership row has unknown status '{other}'."),
        });

    private static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.Active => "active",
        SiloStatus.Leaving => "leaving",
        SiloStatus.Dead => "dead",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown silo status."),
    };
}
