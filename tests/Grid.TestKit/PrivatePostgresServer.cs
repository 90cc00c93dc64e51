using System.Diagnostics;
using System.Runtime.InteropServices;
using Npgsql;

namespace Grid.TestKit;

/// <summary>
/// A PostgreSQL server of a test's own: initdb in a new directory under /tmp, started with pg_ctl on a
/// free loopback port, so the test may stop it (<c>-m immediate</c>: a crash of the server) and start it
/// again without disturbing the shared server other tests use. Binaries come from GRID_TEST_PG_BIN
/// (default /usr/lib/postgresql/15/bin). PostgreSQL refuses to run as root, so under root every command
/// runs as the OS user GRID_TEST_PG_USER (tests/run.sh exports it) through <c>runuser</c>; the directory
/// is handed to that user. Missing binaries or user fail the test with a message saying what to set.
/// </summary>
public sealed class PrivatePostgresServer : IAsyncDisposable
{
    public const string BinEnvironmentVariable = "GRID_TEST_PG_BIN";
    public const string UserEnvironmentVariable = "GRID_TEST_PG_USER";
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly string _bin;
    private readonly string? _osUser;
    private readonly string _root;
    private bool _disposed;

    private PrivatePostgresServer(string bin, string? osUser, string root, int port)
    {
        _bin = bin;
        _osUser = osUser;
        _root = root;
        Port = port;
    }

    public int Port { get; }

    /// <summary>True between a successful <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning { get; private set; }

    /// <summary>Superuser connection string to the server's <c>postgres</c> database (trust authentication, no password).</summary>
    public string ConnectionString => DatabaseConnectionString("postgres");

    private string DataDirectory => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "postgres.log");

    public string DatabaseConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Timeout = 5,
    }.ConnectionString;

    /// <summary>Creates the cluster and starts it.</summary>
    public static async Task<PrivatePostgresServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var bin = Environment.GetEnvironmentVariable(BinEnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultBinDirectory;
        foreach (var tool in new[] { "initdb", "pg_ctl", "postgres" })
        {
            if (!File.Exists(Path.Combine(bin, tool)))
            {
                throw new InvalidOperationException(
                    $"PostgreSQL server binaries not found: {Path.Combine(bin, tool)} does not exist. Install postgresql-15 " +
                    $"(bash tests/run.sh does) or set {BinEnvironmentVariable} to the directory that holds initdb, pg_ctl and postgres.");
            }
        }

        var osUser = OsUser();
        // /tmp explicitly: the unprivileged owner must reach it, which a TMPDIR under /root would forbid.
        var root = Path.Combine("/tmp", $"grid-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var port = SiloProcess.FreePort();
        var server = new PrivatePostgresServer(bin, osUser, root, port);
        try
        {
            await server.InitializeAsync(cancellationToken);
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a database on the server and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return DatabaseConnectionString(name);
    }

    /// <summary>Starts the server (again) on the same port and data; returns once it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await PgCtlAsync(cancellationToken, "start");
        IsRunning = true;
    }

    /// <summary>
    /// Stops the server. <paramref name="immediate"/>: <c>-m immediate</c>, every backend is killed at once
    /// without a checkpoint (what a crash of the database looks like to clients); otherwise <c>-m fast</c>.
    /// </summary>
    public async Task StopAsync(bool immediate = true, CancellationToken cancellationToken = default)
    {
        await PgCtlAsync(cancellationToken, "stop", "-m", immediate ? "immediate" : "fast");
        IsRunning = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await PgCtlAsync(CancellationToken.None, "stop", "-m", "immediate");
            }
            catch (InvalidOperationException)
            {
                // Already stopped, or it will not stop; the directory goes regardless.
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort, like TemporaryDirectory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string? OsUser()
    {
        if (GetEffectiveUserId() != 0)
        {
            return null; // run as ourselves
        }

        var user = Environment.GetEnvironmentVariable(UserEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(user))
        {
            throw new InvalidOperationException(
                $"Running as root, and PostgreSQL refuses to run as root: set {UserEnvironmentVariable} to an unprivileged OS user " +
                "to run the private test server as (bash tests/run.sh sets it).");
        }

        return user.Trim();
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(_root, "socket"));
        await File.WriteAllTextAsync(LogFile, string.Empty, cancellationToken);
        if (_osUser is not null)
        {
            await RunAsync("chown", ["-R", _osUser, _root], asOwner: false, cancellationToken);
        }

        // --no-locale: the machine may have no generated locales; UTF8 is what the grid stores.
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", DataDirectory, "--auth=trust", "-U", "postgres", "--encoding=UTF8", "--no-locale"], asOwner: true, cancellationToken);

        // Settings live in the cluster's config, so every restart comes back on the same port.
        var settings = string.Join('\n',
            "# Written by PrivatePostgresServer for a throwaway test cluster.",
            "listen_addresses = '127.0.0.1'",
            $"port = {Port}",
            $"unix_socket_directories = '{Path.Combine(_root, "socket")}'",
            "max_connections = 100",
            "fsync = on",
            "synchronous_commit = on",
            "full_page_writes = on",
            string.Empty);
        // Appending keeps the file's owner.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), settings, cancellationToken);
    }

    private Task PgCtlAsync(CancellationToken cancellationToken, params string[] action) =>
        RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", .. action], asOwner: true, cancellationToken);

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asOwner, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo
        {
            // From / so that the unprivileged user never starts in a directory it cannot read.
            WorkingDirectory = "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asOwner && _osUser is not null)
        {
            info.FileName = "runuser";
            foreach (var argument in new[] { "-u", _osUser, "--", program })
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            info.FileName = program;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} did not finish in {CommandTimeout.TotalSeconds} s.");
        }

        if (process.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(20)) : string.Empty;
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await errors}\nEnd of the server log:\n{log}");
        }
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
