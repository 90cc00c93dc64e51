using System.Data.Common;
using Grid.Storage;

namespace Grid.Bench.Ledger;

/// <summary>
/// The fresh database one run uses, shared by both sides: the grid's tables (its migrations) and the
/// baseline's bench_* tables live in it side by side. Disposing it drops it.
/// </summary>
public abstract class BenchStore : IAsyncDisposable
{
    public abstract string Describe();

    /// <summary>
    /// CPU time the database server has used so far, when it runs as separate processes on this machine;
    /// null otherwise (SQLite runs inside this process, so its cost is in the process's own CPU time).
    /// </summary>
    public virtual TimeSpan? ServerProcessorTime() => null;

    /// <summary>How the baseline reaches this database, for the report's header.</summary>
    public abstract string BaselineNote { get; }

    /// <summary>Where the grid's silo stores its data.</summary>
    public abstract StorageOptions GridStorage { get; }

    /// <summary>Appended to the baseline's account (and hold) read: the row lock, where the database has row locks.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// Where the database admits one writer at a time (SQLite), the baseline's writers queue here, in the
    /// process, instead of in the database's busy handler; null where writers run concurrently.
    /// </summary>
    public virtual SemaphoreSlim? WriterGate => null;

    /// <summary>The baseline's tables, in this database's dialect.</summary>
    public abstract string BaselineSchemaSql { get; }

    /// <summary>Journal rows of the grid's accounts whose ids start with <paramref name="accountPrefix"/>.</summary>
    public async Task<long> CountJournalAsync(string accountPrefix, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM journal WHERE account_id LIKE @pattern";
        var pattern = command.CreateParameter();
        pattern.ParameterName = "pattern";
        pattern.Value = accountPrefix + "%";
        command.Parameters.Add(pattern);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <param name="poolSize">Connections either side may hold at once (PostgreSQL; SQLite's pool is unbounded).</param>
    public static async Task<BenchStore> CreateAsync(string provider, int poolSize) => provider switch
    {
        StorageOptions.Postgres => await PostgresBenchStore.CreateAsync(poolSize),
        StorageOptions.Sqlite => new SqliteBenchStore(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown store."),
    };

    /// <summary>A pooled connection for the baseline, with the same durability settings the grid uses.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Starts a baseline transaction: PostgreSQL's default (read committed), SQLite's BEGIN IMMEDIATE.</summary>
    public abstract ValueTask<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Refreshes the planner's statistics, as autovacuum (PostgreSQL, within a minute) or an operator after a
    /// bulk load would: a database minutes old must not be measured with plans made for empty tables.
    /// </summary>
    public async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "ANALYZE";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public abstract ValueTask DisposeAsync();
}
