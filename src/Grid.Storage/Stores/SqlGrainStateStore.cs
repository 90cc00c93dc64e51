using Grid.Runtime;
using Grid.Runtime.Persistence;
using Grid.Storage.Data;

namespace Grid.Storage.Stores;

/// <summary>
/// Grain state in the grain_state table, fenced by version: every change names the version it read,
/// and a single conditional statement applies it only if that is still the stored one. Rows are never
/// deleted (a clear keeps the row with a null payload), so versions never restart and a writer holding
/// an old version always conflicts.
/// </summary>
public sealed class SqlGrainStateStore(GridDatabase database, TimeProvider time) : IGrainStateStore
{
    private const string Key = "grain_type = @type AND grain_key = @key AND state_name = @name";

    private const string SelectSql = $"SELECT payload, version FROM grain_state WHERE {Key}";

    // The first version is 1. A row that exists already means another writer got there first.
    private const string InsertSql =
        "INSERT INTO grain_state (grain_type, grain_key, state_name, payload, version, updated_at) " +
        "VALUES (@type, @key, @name, @payload, 1, @now) " +
        "ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING";

    private const string UpdateSql =
        "UPDATE grain_state SET payload = @payload, version = version + 1, updated_at = @now " +
        $"WHERE {Key} AND version = @expected";

    public async Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(SelectSql)
            .With("type", grainId.Type)
            .With("key", grainId.Key)
            .With("name", stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var payload = await reader.IsDBNullAsync(0, cancellationToken) ? null : reader.GetString(0);
        return new GrainStateRecord(payload, reader.GetInt64(1));
    }

    public Task<long?> WriteAsync(GrainId grainId, string stateName, string payload, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return ChangeAsync(grainId, stateName, payload, expectedVersion, cancellationToken);
    }

    /// <summary>With no expected version (nothing read), records an empty row at version 1, so a writer that also saw nothing conflicts.</summary>
    public Task<long?> ClearAsync(GrainId grainId, string stateName, long? expectedVersion, CancellationToken cancellationToken) =>
        ChangeAsync(grainId, stateName, null, expectedVersion, cancellationToken);

    private async Task<long?> ChangeAsync(GrainId grainId, string stateName, string? payload, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(expectedVersion is null ? InsertSql : UpdateSql)
            .With("type", grainId.Type)
            .With("key", grainId.Key)
            .With("name", stateName)
            .With("payload", payload)
            .With("now", time.GetUtcNow().ToUnixTimeMilliseconds());
        if (expectedVersion is { } expected)
        {
            command.With("expected", expected);
        }

        var changed = await command.ExecuteNonQueryAsync(cancellationToken);
        return changed == 0 ? null : (expectedVersion ?? 0) + 1;
    }
}
