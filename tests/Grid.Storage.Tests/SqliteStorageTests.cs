using Grid.Storage.Data;
using Grid.TestKit;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>The store contract on SQLite, each test in its own temporary data directory.</summary>
public sealed class SqliteStorageTests : StorageContractTests
{
    private readonly TemporaryDirectory _directory = new();
    private int _databases;

    [Fact]
    public async Task The_database_file_is_grid_db_in_the_data_directory_in_WAL_mode_with_full_sync()
    {
        Assert.True(File.Exists(Path.Combine(Options.DataDirectory, "grid.db")));

        await using var connection = await Database.OpenConnectionAsync(Ct);
        Assert.Equal(1, await connection.ScalarAsync(null, "SELECT CASE WHEN lower(journal_mode) = 'wal' THEN 1 ELSE 0 END FROM pragma_journal_mode", Ct));
        Assert.Equal(2, await connection.ScalarAsync(null, "PRAGMA synchronous", Ct)); // 2 = FULL
        Assert.Equal(1, await connection.ScalarAsync(null, "PRAGMA foreign_keys", Ct));
        Assert.True(await connection.ScalarAsync(null, "PRAGMA busy_timeout", Ct) > 0);
    }

    [Fact]
    public void A_missing_data_directory_is_created_with_its_parents()
    {
        var path = _directory.Combine("not", "yet", "there");

        using var database = GridDatabase.Create(new StorageOptions { DataDirectory = path });

        Assert.True(Directory.Exists(path));
        Assert.Equal(StorageProvider.Sqlite, database.Provider);
    }

    [Fact]
    public async Task State_survives_reopening_the_database()
    {
        await States.WriteAsync(new Runtime.GrainId("account", "a"), "state", "durable", null, Ct);
        await Database.DisposeAsync();

        await using var reopened = GridDatabase.Create(Options);
        var record = await new Stores.SqlGrainStateStore(reopened, TimeProvider.System).ReadAsync(new Runtime.GrainId("account", "a"), "state", Ct);

        Assert.Equal(new("durable", 1), record);
    }

    protected override Task<StorageOptions> CreateEmptyDatabaseAsync() =>
        Task.FromResult(new StorageOptions { DataDirectory = _directory.Combine($"db{++_databases}") });

    protected override ValueTask DisposeResourcesAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
