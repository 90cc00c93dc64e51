using Grid.Storage.Migrations;
using Grid.TestKit;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>Bad settings fail at start with one line that names the setting.</summary>
public sealed class StorageConfigurationTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_data_directory_that_is_a_file_is_refused()
    {
        var file = _directory.Combine("grid-data");
        File.WriteAllText(file, "not a directory");

        var message = Refused(new StorageOptions { DataDirectory = file });

        Assert.Equal($"Grid:Storage:DataDirectory '{file}' cannot be used: it is a file", message);
    }

    [Fact]
    public void A_data_directory_below_a_file_cannot_be_created()
    {
        var file = _directory.Combine("grid-data");
        File.WriteAllText(file, "not a directory");
        var below = Path.Combine(file, "data");

        var message = Refused(new StorageOptions { DataDirectory = below });

        Assert.StartsWith($"Grid:Storage:DataDirectory '{below}' cannot be created: ", message);
    }

    [Fact]
    public void A_data_directory_holding_a_directory_named_grid_db_is_refused()
    {
        Directory.CreateDirectory(_directory.Combine("grid.db"));

        var message = Refused(new StorageOptions { DataDirectory = _directory.Path });

        Assert.Equal($"Grid:Storage:DataDirectory '{_directory.Path}' cannot be used: grid.db in it is a directory", message);
    }

    [Fact]
    public void A_data_directory_that_cannot_be_written_is_refused()
    {
        // Tests run as root, so permission bits would not stop a write; procfs refuses new files to anyone.
        Assert.StartsWith("Grid:Storage:DataDirectory '/proc' is not writable: ", Refused(new StorageOptions { DataDirectory = "/proc" }));
    }

    [Fact]
    public async Task A_data_file_that_is_not_sqlite_fails_migration_naming_the_setting()
    {
        await File.WriteAllTextAsync(_directory.Combine("grid.db"), new string('x', 4096));
        await using var database = GridDatabase.Create(new StorageOptions { DataDirectory = _directory.Path });

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(
            () => new MigrationRunner(database, TimeProvider.System).ApplyAsync(CancellationToken.None));

        Assert.StartsWith($"Grid:Storage:DataDirectory: cannot open {_directory.Combine("grid.db")}: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void An_empty_data_directory_setting_is_refused()
    {
        Assert.StartsWith("Grid:Storage:DataDirectory is empty", Refused(new StorageOptions { DataDirectory = " " }));
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_refused()
    {
        var message = Refused(new StorageOptions { Provider = "postgres" });

        Assert.Equal("Grid:Storage:ConnectionString is missing (required when Grid:Storage:Provider is postgres)", message);
    }

    [Theory]
    [InlineData("this is not a connection string")]
    [InlineData("Host=localhost;Port=not-a-number")]
    [InlineData("Host=localhost;Frobnicate=yes")]
    [InlineData("Username=grid")]
    public void An_unparsable_connection_string_is_refused(string connectionString)
    {
        var message = Refused(new StorageOptions { Provider = "postgres", ConnectionString = connectionString });

        Assert.StartsWith("Grid:Storage:ConnectionString is not valid: ", message);
    }

    [Fact]
    public async Task An_unreachable_postgres_server_fails_migration_with_the_address_and_reason()
    {
        await using var database = GridDatabase.Create(new StorageOptions
        {
            Provider = "postgres",
            ConnectionString = "Host=127.0.0.1;Port=1;Username=grid;Password=secret;Timeout=3",
        });

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(
            () => new MigrationRunner(database, TimeProvider.System).ApplyAsync(CancellationToken.None));

        Assert.StartsWith("Grid:Storage:ConnectionString: cannot connect to PostgreSQL at 127.0.0.1:1: ", error.Message);
        Assert.True(error.Message.Length > "Grid:Storage:ConnectionString: cannot connect to PostgreSQL at 127.0.0.1:1: ".Length);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifying_an_unreachable_postgres_server_names_the_setting()
    {
        await using var database = GridDatabase.Create(new StorageOptions
        {
            Provider = "postgres",
            ConnectionString = "Host=127.0.0.1;Port=1;Timeout=3",
        });

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => database.VerifyConnectionAsync(CancellationToken.None));

        Assert.StartsWith("Grid:Storage:ConnectionString: cannot connect to PostgreSQL at 127.0.0.1:1: ", error.Message);
    }

    [Theory]
    [InlineData("mysql")]
    [InlineData("")]
    public void An_unknown_provider_is_refused(string provider)
    {
        var message = Refused(new StorageOptions { Provider = provider });

        Assert.Equal($"Grid:Storage:Provider '{provider}' is not known; use sqlite or postgres", message);
    }

    [Fact]
    public void A_connection_string_with_the_sqlite_provider_is_refused_rather_than_ignored()
    {
        var message = Refused(new StorageOptions { DataDirectory = _directory.Path, ConnectionString = "Host=db" });

        Assert.StartsWith("Grid:Storage:ConnectionString is set, but Grid:Storage:Provider is sqlite", message);
    }

    [Fact]
    public void Provider_names_are_case_insensitive()
    {
        using var database = GridDatabase.Create(new StorageOptions { Provider = "SQLite", DataDirectory = _directory.Path });

        Assert.Equal(StorageProvider.Sqlite, database.Provider);
    }

    [Fact]
    public void A_malformed_announce_setting_is_refused_by_name()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageOptions.AnnounceJournalKey] = "sometimes" })
            .Build();
        var refused = Assert.Throws<StorageConfigurationException>(() => StorageOptions.FromConfiguration(configuration));
        Assert.Contains(StorageOptions.AnnounceJournalKey, refused.Message, StringComparison.Ordinal);
        Assert.True(JournalChannel.TryParse(JournalChannel.Payload("acct:1-x", 42), out var account, out var sequence));
        Assert.Equal(("acct:1-x", 42L), (account, sequence));
        Assert.False(JournalChannel.TryParse("no-sequence", out _, out _));
    }

    [Fact]
    public void Options_are_read_from_the_Grid_Storage_settings()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Grid:Storage:Provider"] = "postgres",
                ["Grid:Storage:ConnectionString"] = "Host=db;Username=grid",
                ["Grid:Storage:DataDirectory"] = "/var/lib/grid",
            })
            .Build();

        var options = StorageOptions.FromConfiguration(configuration);

        Assert.Equal("postgres", options.Provider);
        Assert.Equal("Host=db;Username=grid", options.ConnectionString);
        Assert.Equal("/var/lib/grid", options.DataDirectory);
    }

    [Fact]
    public void Unset_settings_default_to_sqlite_in_data()
    {
        var options = StorageOptions.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Grid:Storage:Provider"] = "" })
            .Build());

        Assert.Equal("sqlite", options.Provider);
        Assert.Null(options.ConnectionString);
        Assert.Equal("./data", options.DataDirectory);
    }

    private static string Refused(StorageOptions options)
    {
        var error = Assert.Throws<StorageConfigurationException>(() => GridDatabase.Create(options).Dispose());
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }
}
