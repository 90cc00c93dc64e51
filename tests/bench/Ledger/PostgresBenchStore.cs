using System.Data.Common;
using Grid.Storage;
using Npgsql;

namespace Grid.Bench.Ledger;

/// <summary>
/// A database named grid_bench_&lt;guid&gt; on the server GRID_TEST_POSTGRES names, created for the run and
/// dropped after it. The server's own settings stay: synchronous_commit on (the default) is what makes
/// a commit durable, and the benchmark checks it rather than assuming it.
/// </summary>
public sealed class PostgresBenchStore : BenchStore
{
    public const string EnvironmentVariable = "GRID_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _name;
    private readonly string _connectionString;
    private readonly int _poolSize;
    private readonly NpgsqlDataSource _baseline;
    private string _description = string.Empty;
    private ServerProcesses? _serverProcesses;

    private PostgresBenchStore(string server, string name, int poolSize)
    {
        _server = server;
        _name = name;
        _poolSize = poolSize;

        // Both sides get the same pool bound; auto-prepare lets the baseline's repeated statements run prepared.
        _connectionString = new NpgsqlConnectionStringBuilder(server)
        {
            Database = name,
            MaxPoolSize = poolSize,
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
        }.ConnectionString;
        _baseline = NpgsqlDataSource.Create(_connectionString);
    }

    public override StorageOptions GridStorage => new() { Provider = StorageOptions.Postgres, ConnectionString = _connectionString };

    public override string ForUpdate => " FOR UPDATE";

    public override string BaselineNote =>
        $"SELECT ... FOR UPDATE on the account row; Npgsql pool of {_poolSize} (the grid's pool has the same bound), statements auto-prepared";

    public override string BaselineSchemaSql =>
        """
        CREATE TABLE bench_accounts (
            account_id text   NOT NULL PRIMARY KEY,
            available  bigint NOT NULL,
            held       bigint NOT NULL,
            updated_at bigint NOT NULL);
        CREATE TABLE bench_holds (
            account_id text   NOT NULL,
            hold_id    text   NOT NULL,
            amount     bigint NOT NULL,
            captured   bigint NOT NULL,
            status     text   NOT NULL,
            created_at bigint NOT NULL,
            PRIMARY KEY (account_id, hold_id));
        CREATE TABLE bench_journal (
            id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account_id      text   NOT NULL,
            operation_id    text   NOT NULL,
            kind            text   NOT NULL,
            amount          bigint NOT NULL,
            released        bigint NOT NULL,
            available_after bigint NOT NULL,
            held_after      bigint NOT NULL,
            hold_id         text   NULL,
            at              bigint NOT NULL,
            UNIQUE (account_id, operation_id));
        """;

    public static async Task<PostgresBenchStore> CreateAsync(int poolSize)
    {
        var server = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new ArgumentException($"--store postgres needs {EnvironmentVariable}, a connection string whose user may CREATE DATABASE.");
        }

        var name = $"grid_bench_{Guid.NewGuid():N}";
        await ExecuteOnServerAsync(server, $"CREATE DATABASE \"{name}\"");
        var store = new PostgresBenchStore(server, name, poolSize);
        try
        {
            await store.CheckDurabilityAsync();
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }

        return store;
    }

    public override string Describe() => _description;

    public override TimeSpan? ServerProcessorTime() => _serverProcesses?.ProcessorTime();

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _baseline.OpenConnectionAsync(cancellationToken);

    public override async ValueTask<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _baseline.DisposeAsync();
        await using (var pooled = new NpgsqlConnection(_connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await ExecuteOnServerAsync(_server, $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private async Task CheckDurabilityAsync()
    {
        await using var connection = await _baseline.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('server_version'), current_setting('synchronous_commit'), current_setting('fsync'), " +
            "inet_server_addr()::text, current_setting('port'), pg_backend_pid()",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (version, synchronousCommit, fsync) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        if (synchronousCommit is "off" or "local" || fsync != "on")
        {
            throw new InvalidOperationException(
                $"The server runs with synchronous_commit={synchronousCommit}, fsync={fsync}: commits would not be durable, so the comparison would mean nothing.");
        }

        var address = reader.IsDBNull(3) ? "local socket" : $"{reader.GetString(3)}:{reader.GetString(4)}";
        _serverProcesses = OperatingSystem.IsLinux() ? ServerProcesses.OfBackend(reader.GetInt32(5)) : null;
        _description = $"PostgreSQL {version} at {address}, database {_name}, synchronous_commit={synchronousCommit}, fsync={fsync}";
    }

    private static async Task ExecuteOnServerAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
