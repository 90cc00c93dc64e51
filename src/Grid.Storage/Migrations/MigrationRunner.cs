using System.Data.Common;
using System.Globalization;
using Grid.Storage.Data;

namespace Grid.Storage.Migrations;

/// <summary>
/// Brings the schema up to date: each embedded migration not yet recorded in schema_migrations runs
/// in its own transaction, under a database-wide lock, so any number of silos (or gridctl) may start
/// at once and each step is applied exactly once.
/// </summary>
public sealed class MigrationRunner
{
    // Part of no migration: it must exist before the first one can be recorded.
    private const string CreateTableSql =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    private readonly GridDatabase _database;
    private readonly TimeProvider _time;

    public MigrationRunner(GridDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _time = time;
        Migrations = MigrationCatalog.Load(database.Dialect.MigrationFolder);
    }

    /// <summary>The migrations this build knows for the database's provider, in version order.</summary>
    public IReadOnlyList<Migration> Migrations { get; }

    /// <summary>
    /// Applies the pending migrations in order and returns the versions this call applied (empty when
    /// the schema was already current). An unreachable database throws <see cref="StorageConfigurationException"/>.
    /// </summary>
    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken cancellationToken)
    {
        var applied = new List<int>();
        await using var connection = await _database.OpenForStartupAsync(cancellationToken);
        if (_database.Provider == StorageProvider.Postgres)
        {
            await RequireDurableCommitsAsync(connection, cancellationToken);
        }

        await RequireKnownSchemaAsync(connection, cancellationToken);
        foreach (var migration in Migrations)
        {
            try
            {
                await ApplyOneAsync(connection, migration, applied, cancellationToken);
            }
            catch (DbException refused) when (!cancellationToken.IsCancellationRequested)
            {
                // Said in one line, not a stack trace; most often the operator's setting: PostgreSQL 15 gives a role that does
                // not own the database no CREATE on schema public (SQLSTATE 42501, insufficient privilege).
                var hint = refused.SqlState == "42501"
                    ? $" The user of {StorageOptions.ConnectionStringKey} must be allowed to create tables in its database."
                    : string.Empty;
                throw new StorageConfigurationException(
                    $"Applying migration {migration.Version} ({migration.Name}) failed: {refused.Message}.{hint}", refused);
            }
        }

        return applied;
    }

    private async Task ApplyOneAsync(DbConnection connection, Migration migration, List<int> applied, CancellationToken cancellationToken)
    {
        await using var transaction = await _database.Dialect.BeginMigrationTransactionAsync(connection, cancellationToken);
        await connection.ExecuteAsync(transaction, CreateTableSql, cancellationToken);
        var recorded = await connection.ScalarAsync(
            transaction,
            "SELECT COUNT(*) FROM schema_migrations WHERE version = @version",
            cancellationToken,
            ("version", migration.Version));
        if (recorded == 0)
        {
            await connection.ExecuteAsync(transaction, migration.Sql, cancellationToken);
            await connection.ExecuteAsync(
                transaction,
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @applied_at)",
                cancellationToken,
                ("version", migration.Version),
                ("name", migration.Name),
                ("applied_at", _time.GetUtcNow().ToUnixTimeMilliseconds()));
            applied.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Refuses a database another build migrated: a version this build does not know (a newer silo ran; this one would
    /// write rows the newer schema reads differently, or fail every write while its health says ready), or a known version
    /// recorded under another name (another migration under the same number).
    /// </summary>
    private async Task RequireKnownSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (await connection.ScalarAsync(null, _database.Dialect.MigrationTableExistsSql, cancellationToken) == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand("SELECT version, name FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var version = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
            var name = reader.GetString(1);
            if (Unknown(version, name) is { } problem && !_database.AllowsNewerSchema)
            {
                throw new StorageConfigurationException(
                    $"The database's schema has migration {version} ({name}), {problem}: another build of the grid migrated it; run that build (or a newer one) against it, point this one at another database, or set {StorageOptions.AllowNewerSchemaKey}=true to start anyway");
            }
        }
    }

    /// <summary>Why this build does not know an applied migration; null when it does.</summary>
    private string? Unknown(int version, string name)
    {
        var known = Migrations.FirstOrDefault(m => m.Version == version);
        return known is null
            ? $"which this build does not know (it knows up to {Migrations[^1].Version})"
            : known.Name == name ? null : $"where this build has {known.Name}";
    }

    /// <summary>
    /// A commit the grid acknowledges must be durable: with <c>synchronous_commit = off</c> (set on the server, the database
    /// or the role) PostgreSQL answers before the commit is on disk, and a crash loses operations callers were told are done.
    /// The other settings all wait for the local flush.
    /// </summary>
    private static async Task RequireDurableCommitsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var show = connection.CreateCommand("SHOW synchronous_commit");
        var setting = Convert.ToString(await show.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        if (string.Equals(setting, "off", StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageConfigurationException(
                "PostgreSQL's synchronous_commit is off for this connection (server, database or role setting): acknowledged operations would not be durable; turn it on");
        }
    }

    /// <summary>The rows of schema_migrations in version order; empty before the first run.</summary>
    public async Task<IReadOnlyList<AppliedMigration>> GetAppliedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        if (await connection.ScalarAsync(null, _database.Dialect.MigrationTableExistsSql, cancellationToken) == 0)
        {
            return [];
        }

        await using var command = connection.CreateCommand("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AppliedMigration(
                Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture),
                reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }

        return rows;
    }

    /// <summary>True when every migration this build knows has been applied (for readiness checks).</summary>
    public async Task<bool> IsUpToDateAsync(CancellationToken cancellationToken)
    {
        // Migrations this build does not know are refused at start only: a silo already running stays ready while a
        // newer one migrates during a rolling upgrade.
        var applied = (await GetAppliedAsync(cancellationToken)).Select(m => m.Version).ToHashSet();
        return Migrations.All(m => applied.Contains(m.Version));
    }
}
