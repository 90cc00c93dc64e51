using System.Data.Common;
using Grid.Bench.Ledger;

namespace Grid.Bench.Casts;

/// <summary>The reads both sides' checks share: balances and counts of accounts whose ids start with a prefix.</summary>
public static class LedgerQueries
{
    /// <param name="sql">Selects account id, available and held; <c>@pattern</c> is the id pattern.</param>
    public static async Task<Dictionary<string, (long Available, long Held)>> BalancesAsync(
        BenchStore store, string sql, string accountPrefix, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, accountPrefix);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var balances = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            balances[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }

        return balances;
    }

    /// <param name="sql">Selects one row of whole numbers; <c>@pattern</c> is the id pattern.</param>
    public static async Task<long[]> CountsAsync(BenchStore store, string sql, string accountPrefix, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, accountPrefix);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Enumerable.Range(0, reader.FieldCount)
            .Select(i => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
    }

    private static DbCommand Command(DbConnection connection, string sql, string accountPrefix)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        var pattern = command.CreateParameter();
        pattern.ParameterName = "pattern";
        pattern.Value = accountPrefix + "%";
        command.Parameters.Add(pattern);
        return command;
    }
}
