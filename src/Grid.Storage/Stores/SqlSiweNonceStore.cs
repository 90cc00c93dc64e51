using Grid.Storage.Data;

namespace Grid.Storage.Stores;

/// <summary>
/// The siwe_nonces table. A nonce is consumed by deleting its row, so of two silos racing to accept the same
/// signed message exactly one wins. The table holds only unexpired nonces plus what a purge has yet to remove.
/// </summary>
public sealed class SqlSiweNonceStore(GridDatabase database)
{
    private const string InsertSql = "INSERT INTO siwe_nonces (nonce, issued_at, expires_at) VALUES (@nonce, @issued_at, @expires_at)";

    private const string ConsumeSql = "DELETE FROM siwe_nonces WHERE nonce = @nonce AND expires_at > @now";

    private const string CountSql = "SELECT COUNT(*) FROM siwe_nonces WHERE expires_at > @now";

    private const string PurgeSql = "DELETE FROM siwe_nonces WHERE expires_at <= @now";

    public async Task InsertAsync(string nonce, DateTimeOffset issuedAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(InsertSql)
            .With("nonce", nonce)
            .With("issued_at", issuedAt.ToUnixTimeMilliseconds())
            .With("expires_at", expiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>True exactly once for a nonce that was issued and has not expired; the nonce is gone afterwards.</summary>
    public async Task<bool> TryConsumeAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(ConsumeSql).With("nonce", nonce).With("now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>How many nonces are outstanding (issued, unexpired, unused).</summary>
    public async Task<long> CountOutstandingAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(CountSql).With("now", now.ToUnixTimeMilliseconds());
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Removes expired nonces; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(PurgeSql).With("now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
