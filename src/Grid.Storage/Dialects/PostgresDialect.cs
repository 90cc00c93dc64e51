using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace Grid.Storage.Dialects;

/// <summary>PostgreSQL for clusters, through one pooled <see cref="NpgsqlDataSource"/>.</summary>
internal sealed class PostgresDialect : IStorageDialect
{
    // Any fixed key works: advisory locks are scoped to the database, and only migration runners take this one.
    private const long MigrationLockKey = 0x4772_6964_4d69_6772; // "GridMigr"

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _endpoint;

    private PostgresDialect(NpgsqlDataSource dataSource, string endpoint)
    {
        _dataSource = dataSource;
        _endpoint = endpoint;
    }

    public StorageProvider Provider => StorageProvider.Postgres;

    public string MigrationFolder => "postgres";

    public string MigrationTableExistsSql =>
        "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE 1 END";

    public string ProbeSql => "SELECT 1";

    /// <summary>Validates the connection string (without connecting) and builds the data source.</summary>
    public static PostgresDialect Create(StorageOptions options)
    {
        var key = StorageOptions.ConnectionStringKey;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new StorageConfigurationException(
                $"{key} is missing (required when {StorageOptions.ProviderKey} is postgres)");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException or KeyNotFoundException)
        {
            throw new StorageConfigurationException($"{key} is not valid: {ParseError(ex)}", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new StorageConfigurationException($"{key} is not valid: it names no Host");
        }

        PrepareHotStatements(builder, options.ConnectionString);

        NpgsqlDataSource dataSource;
        try
        {
            dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or NotSupportedException)
        {
            throw new StorageConfigurationException($"{key} is not valid: {ex.Message}", ex);
        }

        var endpoint = builder.Host.Contains(',', StringComparison.Ordinal)
            ? builder.Host
            : string.Create(CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}");
        return new PostgresDialect(dataSource, endpoint);
    }

    public string Describe() => $"PostgreSQL at {_endpoint}";

    /// <summary>
    /// The grid runs a few statements very often: prepared on each pooled connection after their second use, they skip
    /// PostgreSQL's parse and plan (a quarter more lifecycles per second in the casts benchmark). A connection string that
    /// sets <c>Max Auto Prepare</c> itself wins; 0 turns it off, e.g. behind a pooler in transaction mode.
    /// </summary>
    internal static void PrepareHotStatements(NpgsqlConnectionStringBuilder builder, string configured)
    {
        // Npgsql's builder knows every keyword whether set or not: ask the string as written (keys case-insensitive).
        var written = new DbConnectionStringBuilder { ConnectionString = configured };
        if (!written.ContainsKey("Max Auto Prepare") && !written.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            builder.AutoPrepareMinUsages = 2;
        }
    }

    internal const int DefaultMaxAutoPrepare = 64;

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public async Task<DbTransaction> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // Held until commit or rollback; a second runner blocks here, then finds the work done.
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT pg_advisory_xact_lock(@key)";
            command.Parameters.Add(new NpgsqlParameter<long>("key", MigrationLockKey));
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    public StorageConfigurationException ConnectFailure(Exception exception) =>
        new($"{StorageOptions.ConnectionStringKey}: cannot connect to PostgreSQL at {_endpoint}: {Reason(exception)}", exception);

    public void Dispose() => _dataSource.Dispose();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    // Npgsql reports "Couldn't set port (Parameter 'port')"; the keyword and the inner cause say more.
    private static string ParseError(Exception exception) => exception switch
    {
        ArgumentException { ParamName: { } keyword, InnerException: KeyNotFoundException } => $"unknown keyword '{keyword}'",
        ArgumentException { ParamName: { } keyword, InnerException: { } inner } => $"'{keyword}': {inner.Message}",
        _ => exception.Message,
    };

    // Npgsql wraps the cause ("Failed to connect to ..."); the socket or server error says more.
    private static string Reason(Exception exception) => exception switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        NpgsqlException { InnerException: SocketException socket } => socket.Message,
        NpgsqlException { InnerException: TimeoutException } or TimeoutException => "timed out",
        NpgsqlException { InnerException: { } inner } => inner.Message,
        _ => exception.Message,
    };
}
