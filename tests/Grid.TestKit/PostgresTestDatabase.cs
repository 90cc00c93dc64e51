using Grid.Storage;
using Npgsql;
using Xunit;

namespace Grid.TestKit;

/// <summary>
/// A fresh, uniquely named PostgreSQL database on the server named by GRID_TEST_POSTGRES, dropped on
/// dispose. Use it as a class fixture (xunit creates and drops it) or create one per test with
/// <see cref="CreateAsync"/>. Without GRID_TEST_POSTGRES it fails, never skips: a test that silently
/// did not run would read as a pass.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime, IAsyncDisposable
{
    public const string EnvironmentVariable = "GRID_TEST_POSTGRES";

    private string? _connectionString;
    private bool _dropped;

    /// <summary>The database's name: grid_test_ and 32 hex digits, unique per instance.</summary>
    public string Name { get; } = $"grid_test_{Guid.NewGuid():N}";

    /// <summary>A connection string to this database (the server's settings with Database replaced).</summary>
    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("The test database has not been created yet.");

    /// <summary>Storage options that point the grid at this database.</summary>
    public StorageOptions StorageOptions => new() { Provider = StorageOptions.Postgres, ConnectionString = ConnectionString };

    /// <summary>The server connection string from GRID_TEST_POSTGRES; throws a clear error when it is not set.</summary>
    public static string ServerConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return string.IsNullOrWhiteSpace(value)
                ? throw new InvalidOperationException(
                    $"{EnvironmentVariable} is not set: set {EnvironmentVariable} to a PostgreSQL connection string whose user can CREATE DATABASE, or run bash tests/run.sh")
                : value;
        }
    }

    /// <summary>
    /// Creates a new empty database; dispose it to drop it. With <paramref name="icuLocale"/> (for example en-US) its
    /// text sorts by that language's rules, as most databases set up by hand do, not byte by byte.
    /// </summary>
    public static async Task<PostgresTestDatabase> CreateAsync(string? icuLocale = null, CancellationToken cancellationToken = default)
    {
        var database = new PostgresTestDatabase();
        await database.CreateDatabaseAsync(icuLocale, cancellationToken);
        return database;
    }

    Task IAsyncLifetime.InitializeAsync() => CreateDatabaseAsync(icuLocale: null, CancellationToken.None);

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is null || _dropped)
        {
            return;
        }

        _dropped = true;
        using (var pooled = new NpgsqlConnection(_connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        // FORCE ends sessions a test left open (pooled connections of a data source it did not dispose).
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", CancellationToken.None);
    }

    private async Task CreateDatabaseAsync(string? icuLocale, CancellationToken cancellationToken)
    {
        var server = ServerConnectionString;
        // ICU takes UTF-8 only, and its provider differs from the template's: template0, the encoding and C for the rest.
        var collation = icuLocale is null
            ? ""
            : $" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' LOCALE_PROVIDER icu ICU_LOCALE '{icuLocale}'";
        await ExecuteOnServerAsync($"CREATE DATABASE \"{Name}\"{collation}", cancellationToken);
        _connectionString = new NpgsqlConnectionStringBuilder(server) { Database = Name }.ConnectionString;
    }

    private static async Task ExecuteOnServerAsync(string sql, CancellationToken cancellationToken)
    {
        // No pooling: the admin connection must not linger and keep an idle session around.
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
