using System.Data.Common;
using Grid.Storage.Data;
using Grid.Storage.Dialects;

namespace Grid.Storage;

/// <summary>
/// The grid's database for the configured provider: validates the settings once at creation and
/// opens ready-to-use connections. One per process (a singleton); it owns the connection pool.
/// </summary>
public sealed class GridDatabase : IDisposable, IAsyncDisposable
{
    private GridDatabase(IStorageDialect dialect, bool announceJournal, bool allowNewerSchema)
    {
        Dialect = dialect;
        AllowsNewerSchema = allowNewerSchema;
        AnnouncesJournal = announceJournal && dialect.Provider == StorageProvider.Postgres;
    }

    public StorageProvider Provider => Dialect.Provider;

    /// <summary>Journal appends notify <see cref="JournalChannel"/> (PostgreSQL with <see cref="StorageOptions.AnnounceJournal"/>).</summary>
    public bool AnnouncesJournal { get; }

    /// <summary>Migrations refuse no schema a newer build migrated (<see cref="StorageOptions.AllowNewerSchema"/>).</summary>
    public bool AllowsNewerSchema { get; }

    internal IStorageDialect Dialect { get; }

    /// <summary>
    /// Checks <paramref name="options"/> without touching the network (a missing SQLite data directory
    /// is created). Throws <see cref="StorageConfigurationException"/> naming the bad setting.
    /// </summary>
    public static GridDatabase Create(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = options.Provider?.Trim() ?? string.Empty;
        IStorageDialect dialect = provider.ToUpperInvariant() switch
        {
            "SQLITE" => SqliteDialect.Create(options),
            "POSTGRES" => PostgresDialect.Create(options),
            _ => throw new StorageConfigurationException(
                $"{StorageOptions.ProviderKey} '{provider}' is not known; use {StorageOptions.Sqlite} or {StorageOptions.Postgres}"),
        };
        return new GridDatabase(dialect, options.AnnounceJournal, options.AllowNewerSchema);
    }

    /// <summary>Opens a pooled connection with the session settings applied. The caller disposes it.</summary>
    public Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        Dialect.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Opens and closes one connection, for start-up: a failure becomes a <see cref="StorageConfigurationException"/>
    /// that names the setting and where it points (server unreachable, authentication, unknown database...).
    /// </summary>
    public async Task VerifyConnectionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenForStartupAsync(cancellationToken);
    }

    public override string ToString() => Dialect.Describe();

    public void Dispose() => Dialect.Dispose();

    public ValueTask DisposeAsync() => Dialect.DisposeAsync();

    internal async Task<DbConnection> OpenForStartupAsync(CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        try
        {
            connection = await Dialect.OpenConnectionAsync(cancellationToken);
            await connection.ScalarAsync(null, Dialect.ProbeSql, cancellationToken);
            return connection;
        }
        catch (Exception ex)
        {
            // Every failure gives the connection back, a cancelled start among them; only a failure to reach the database
            // becomes the one-line start-up error.
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            if (ex is DbException or TimeoutException or IOException or System.Net.Sockets.SocketException)
            {
                throw Dialect.ConnectFailure(ex);
            }

            throw;
        }
    }
}
