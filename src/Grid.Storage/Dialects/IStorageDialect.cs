using System.Data.Common;

namespace Grid.Storage.Dialects;

/// <summary>
/// What differs between SQLite and PostgreSQL. The stores' SQL is written once in the common subset
/// (named parameters, ON CONFLICT, integer timestamps); only connecting and locking differ.
/// </summary>
internal interface IStorageDialect : IDisposable, IAsyncDisposable
{
    StorageProvider Provider { get; }

    /// <summary>The folder under Migrations/ that holds this dialect's scripts.</summary>
    string MigrationFolder { get; }

    /// <summary>Where the database is, for messages (never includes a password).</summary>
    string Describe();

    /// <summary>Opens a connection ready for use (session settings applied).</summary>
    Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Begins a transaction that holds the database-wide migration lock until it ends, so concurrent
    /// starters apply each migration exactly once.
    /// </summary>
    Task<DbTransaction> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A scalar query: 1 when the schema_migrations table exists, else 0.</summary>
    string MigrationTableExistsSql { get; }

    /// <summary>A cheap query that reads the database, so a start-up check finds a bad file or server at once.</summary>
    string ProbeSql { get; }

    /// <summary>Turns a failure to open the first connection into a one-line settings error.</summary>
    StorageConfigurationException ConnectFailure(Exception exception);
}
