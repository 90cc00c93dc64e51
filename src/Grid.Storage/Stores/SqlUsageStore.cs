using System.Data.Common;
using System.Globalization;
using Grid.Ledger.Persistence;
using Grid.Storage.Data;

namespace Grid.Storage.Stores;

/// <summary>The usage_records table (migration 0007). Summaries are summed by the database, so a long range reads no rows into memory.</summary>
public sealed class SqlUsageStore(GridDatabase database) : IUsageStore
{
    private const long DayMilliseconds = 86_400_000;

    /// <summary>
    /// Writes one record (parameters from <see cref="WithRecord"/>). A redo writes the same values again; a later,
    /// different ending of the same work is not possible (one ending per cast).
    /// </summary>
    internal const string UpsertSql =
        "INSERT INTO usage_records (source, source_id, account_id, kind, units, provider_cost, user_price, status, at) " +
        "VALUES (@source, @source_id, @account_id, @kind, @units, @provider_cost, @user_price, @status, @at) " +
        "ON CONFLICT (source, source_id) DO UPDATE SET units = excluded.units, provider_cost = excluded.provider_cost, " +
        "user_price = excluded.user_price, status = excluded.status";

    // Integer division of the time by a day's milliseconds is the day in both dialects (bigint / bigint truncates). No
    // ORDER BY: PostgreSQL would sort kinds by the database's collation and SQLite by bytes; the rows are sorted here.
    // The LIMIT bounds what one summary holds in memory: kinds are the callers' to choose, as many as they like.
    private const string SummarySql =
        "SELECT {0} AS group_key, COUNT(*), SUM(units), SUM(user_price), SUM(CASE WHEN status = 'needs_review' THEN 1 ELSE 0 END) " +
        "FROM usage_records WHERE account_id = @account_id AND at >= @from AND at < @to GROUP BY {0} LIMIT {1}";

    public async Task RecordAsync(UsageRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = WithRecord(connection.CreateCommand(UpsertSql), record);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The parameters of <see cref="UpsertSql"/>.</summary>
    internal static DbCommand WithRecord(DbCommand command, UsageRecord record) => command
        .With("source", record.Source)
        .With("source_id", record.SourceId)
        .With("account_id", record.AccountId)
        .With("kind", record.Kind)
        .With("units", record.Units)
        .With("provider_cost", ProviderCostText(record.ProviderCost))
        .With("user_price", record.UserPrice)
        .With("status", record.Status)
        .With("at", record.At.ToUnixTimeMilliseconds());

    /// <summary>How a provider cost is stored: the exact decimal as invariant text.</summary>
    internal static string? ProviderCostText(decimal? providerCost) => providerCost?.ToString(CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(
        string accountId, DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        var key = grouping == UsageGrouping.Day ? $"(at / {DayMilliseconds})" : "COALESCE(kind, '')";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(string.Format(CultureInfo.InvariantCulture, SummarySql, key, IUsageStore.MaxGroups + 1))
            .With("account_id", accountId)
            .With("from", from.ToUnixTimeMilliseconds())
            .With("to", to.ToUnixTimeMilliseconds());
        try
        {
            return await ReadSummaryAsync(command, grouping, cancellationToken);
        }
        catch (DbException overflow) when (overflow.Message.Contains("integer overflow", StringComparison.OrdinalIgnoreCase))
        {
            // SQLite's SUM refuses a total past 2^63 - 1 (PostgreSQL's is numeric, and the read below refuses it).
            throw new OverflowException("A usage sum passes 9223372036854775807.", overflow);
        }
    }

    /// <summary>
    /// The summary's rows in ordinal order of their keys (a day's yyyy-MM-dd sorts by date so); <see cref="OverflowException"/>
    /// when a sum passes what a long holds.
    /// </summary>
    private static async Task<IReadOnlyList<UsageSummaryRow>> ReadSummaryAsync(DbCommand command, UsageGrouping grouping, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<UsageSummaryRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var groupKey = grouping == UsageGrouping.Day
                ? DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture) * DayMilliseconds).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : reader.GetString(0);
            rows.Add(new UsageSummaryRow(
                groupKey,
                Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture)));
        }

        rows.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return rows;
    }
}
