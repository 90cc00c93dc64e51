using System.Data.Common;
using Grid.Storage.Data;

namespace Grid.Storage.Stores;

/// <summary>The api_keys table. Reads go to the database every time, so a revocation holds at once on every silo.</summary>
public sealed class SqlApiKeyStore(GridDatabase database)
{
    private const string Columns = "key_id, account_id, name, scopes, secret_hash, created_at, last_used_at, revoked_at";

    private const string InsertSql =
        $"INSERT INTO api_keys ({Columns}) VALUES (@key_id, @account_id, @name, @scopes, @secret_hash, @created_at, NULL, NULL)";

    private const string FindSql = $"SELECT {Columns} FROM api_keys WHERE key_id = @key_id";

    private const string ListSql = $"SELECT {Columns} FROM api_keys WHERE account_id = @account_id ORDER BY created_at, key_id";

    private const string RevokeSql = "UPDATE api_keys SET revoked_at = @at WHERE key_id = @key_id AND revoked_at IS NULL";

    private const string TouchSql = "UPDATE api_keys SET last_used_at = @at WHERE key_id = @key_id AND (last_used_at IS NULL OR last_used_at < @at)";

    public async Task InsertAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(InsertSql)
            .With("key_id", key.KeyId)
            .With("account_id", key.AccountId)
            .With("name", key.Name)
            .With("scopes", key.Scopes)
            .With("secret_hash", key.SecretHash)
            .With("created_at", key.CreatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(FindSql).With("key_id", keyId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(ListSql).With("account_id", accountId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    /// <summary>True when the key existed and was not revoked before.</summary>
    public async Task<bool> RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(RevokeSql).With("key_id", keyId).With("at", at.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Records a use; a time earlier than the one stored changes nothing.</summary>
    public async Task TouchAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(TouchSql).With("key_id", keyId).With("at", at.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ApiKeyRecord Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
        reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)));
}
