using Grid.Storage.Data;

namespace Grid.Storage.Stores;

/// <summary>
/// The siwe_nonces table: the sign-in nonces already used, kept until they expire. Marking a nonce used is one
/// insert, so of two silos racing to accept the same signed message exactly one wins.
/// </summary>
public sealed class SqlSiweNonceStore(GridDatabase database)
{
    private const string MarkSql =
        "INSERT INTO siwe_nonces (nonce, issued_at, expires_at) VALUES (@nonce, @used_at, @expires_at) ON CONFLICT (nonce) DO NOTHING";

    private const string UsedSql = "SELECT COUNT(*) FROM siwe_nonces WHERE nonce = @nonce";

    private const string PurgeSql = "DELETE FROM siwe_nonces WHERE expires_at <= @now";

    /// <summary>True exactly once per nonce: the first use.</summary>
    public async Task<bool> TryMarkUsedAsync(string nonce, DateTimeOffset usedAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(MarkSql)
            .With("nonce", nonce)
            .With("used_at", usedAt.ToUnixTimeMilliseconds())
            .With("expires_at", expiresAt.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> IsUsedAsync(string nonce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(UsedSql).With("nonce", nonce);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Forgets used nonces that have expired (they would be refused anyway); returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(PurgeSql).With("now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
