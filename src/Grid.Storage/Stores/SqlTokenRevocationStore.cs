using Grid.Storage.Data;

namespace Grid.Storage.Stores;

/// <summary>
/// The token_revocations table (migration 0009). Reads go to the database every time, as key reads do, so a
/// revocation holds at once on every silo.
/// </summary>
public sealed class SqlTokenRevocationStore(GridDatabase database)
{
    private const string FindSql = "SELECT not_before FROM token_revocations WHERE account_id = @account_id";

    // The time only moves forward: a late, earlier revocation never brings revoked tokens back.
    private const string RevokeSql =
        "INSERT INTO token_revocations (account_id, not_before) VALUES (@account_id, @at) " +
        "ON CONFLICT (account_id) DO UPDATE SET not_before = " +
        "CASE WHEN excluded.not_before > token_revocations.not_before THEN excluded.not_before ELSE token_revocations.not_before END";

    /// <summary>Tokens for the account issued at or before this are revoked; null when none ever were.</summary>
    public async Task<DateTimeOffset?> RevokedUpToAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(FindSql).With("account_id", accountId);
        return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
            ? DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }

    public async Task RevokeAsync(string accountId, DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(RevokeSql)
            .With("account_id", accountId)
            .With("at", upTo.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
