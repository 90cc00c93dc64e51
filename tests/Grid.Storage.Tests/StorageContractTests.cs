using Grid.Runtime;
using Grid.Runtime.Reminders;
using Grid.Storage.Data;
using Grid.Storage.Migrations;
using Grid.Storage.Stores;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>
/// The store contract, run against every provider: each subclass supplies empty databases, and every
/// test starts from a freshly migrated one.
/// </summary>
public abstract partial class StorageContractTests : IAsyncLifetime
{
    private static readonly GrainId Grain = new("account", "acct-1");

    private readonly List<GridDatabase> _databases = [];
    private GridDatabase? _database;
    private StorageOptions? _options;

    protected static CancellationToken Ct => CancellationToken.None;

    protected GridDatabase Database => _database ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>The options of the migrated database every test starts with.</summary>
    protected StorageOptions Options => _options ?? throw new InvalidOperationException("Not initialized.");

    protected SqlGrainStateStore States => new(Database, TimeProvider.System);

    protected SqlReminderTable Reminders => new(Database);

    public async Task InitializeAsync()
    {
        _options = await CreateEmptyDatabaseAsync();
        _database = Open(_options);
        await new MigrationRunner(Database, TimeProvider.System).ApplyAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        await DisposeResourcesAsync();
    }

    [Fact]
    public async Task Read_of_a_missing_row_is_null()
    {
        Assert.Null(await States.ReadAsync(Grain, "state", Ct));
    }

    [Fact]
    public async Task First_write_creates_version_1_and_reads_back()
    {
        Assert.Equal(1, await States.WriteAsync(Grain, "state", """{"balance":5}""", null, Ct));

        Assert.Equal(new("""{"balance":5}""", 1), await States.ReadAsync(Grain, "state", Ct));
    }

    [Fact]
    public async Task Write_with_the_stored_version_bumps_the_version()
    {
        await States.WriteAsync(Grain, "state", "1", null, Ct);

        Assert.Equal(2, await States.WriteAsync(Grain, "state", "2", 1, Ct));
        Assert.Equal(3, await States.WriteAsync(Grain, "state", "3", 2, Ct));
        Assert.Equal(new("3", 3), await States.ReadAsync(Grain, "state", Ct));
    }

    [Fact]
    public async Task Write_with_a_stale_version_conflicts_and_changes_nothing()
    {
        await States.WriteAsync(Grain, "state", "first", null, Ct);
        await States.WriteAsync(Grain, "state", "second", 1, Ct);

        Assert.Null(await States.WriteAsync(Grain, "state", "stale", 1, Ct));
        Assert.Null(await States.WriteAsync(Grain, "state", "future", 7, Ct));
        Assert.Equal(new("second", 2), await States.ReadAsync(Grain, "state", Ct));
    }

    [Fact]
    public async Task Write_expecting_no_row_conflicts_when_a_row_exists()
    {
        await States.WriteAsync(Grain, "state", "first", null, Ct);

        Assert.Null(await States.WriteAsync(Grain, "state", "second", null, Ct));
        Assert.Equal(new("first", 1), await States.ReadAsync(Grain, "state", Ct));
    }

    [Fact]
    public async Task Write_expecting_a_version_conflicts_when_there_is_no_row()
    {
        Assert.Null(await States.WriteAsync(Grain, "state", "x", 1, Ct));
        Assert.Null(await States.ReadAsync(Grain, "state", Ct));
    }

    [Fact]
    public async Task Rows_are_keyed_by_grain_type_key_and_state_name()
    {
        await States.WriteAsync(Grain, "a", "A", null, Ct);
        await States.WriteAsync(Grain, "b", "B", null, Ct);
        await States.WriteAsync(new GrainId("account", "acct-2"), "a", "other key", null, Ct);
        await States.WriteAsync(new GrainId("payment", "acct-1"), "a", "other type", null, Ct);

        Assert.Equal("A", (await States.ReadAsync(Grain, "a", Ct))?.Payload);
        Assert.Equal("B", (await States.ReadAsync(Grain, "b", Ct))?.Payload);
        Assert.Equal("other key", (await States.ReadAsync(new GrainId("account", "acct-2"), "a", Ct))?.Payload);
        Assert.Equal("other type", (await States.ReadAsync(new GrainId("payment", "acct-1"), "a", Ct))?.Payload);
    }

    [Fact]
    public async Task Payload_round_trips_unicode_and_large_documents()
    {
        var payload = $$"""{"name":"Zoë ✓ 日本 🚀","blob":"{{new string('x', 200_000)}}"}""";

        await States.WriteAsync(Grain, "state", payload, null, Ct);

        Assert.Equal(payload, (await States.ReadAsync(Grain, "state", Ct))?.Payload);
    }

    [Fact]
    public async Task Writers_racing_from_the_same_version_exactly_one_wins()
    {
        // Two databases stand for two silos that both activated the grain.
        var silos = new[] { Database, Open(Options) };
        for (var round = 0; round < 10; round++)
        {
            var grain = new GrainId("account", $"race-{round}");
            await States.WriteAsync(grain, "state", "start", null, Ct);

            var writers = Enumerable.Range(0, 8).Select(i =>
                Task.Run(() => new SqlGrainStateStore(silos[i % 2], TimeProvider.System).WriteAsync(grain, "state", $"writer-{i}", 1, Ct)));
            var results = await Task.WhenAll(writers);

            var winner = Assert.Single(results, r => r is not null);
            Assert.Equal(2, winner);
            var stored = await States.ReadAsync(grain, "state", Ct);
            Assert.Equal(2, stored?.Version);
            Assert.Equal($"writer-{Array.IndexOf(results, winner)}", stored?.Payload);
        }
    }

    [Fact]
    public async Task Writers_racing_to_create_the_first_row_exactly_one_wins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => States.WriteAsync(Grain, "state", $"writer-{i}", null, Ct))));

        Assert.Equal(1, Assert.Single(results, r => r is not null));
    }

    [Fact]
    public async Task Clear_keeps_the_row_with_a_null_payload_and_bumps_the_version()
    {
        await States.WriteAsync(Grain, "state", "first", null, Ct);
        await States.WriteAsync(Grain, "state", "second", 1, Ct);

        Assert.Equal(3, await States.ClearAsync(Grain, "state", 2, Ct));

        Assert.Equal(new(null, 3), await States.ReadAsync(Grain, "state", Ct));
    }

    [Fact]
    public async Task A_stale_writer_conflicts_after_a_clear()
    {
        await States.WriteAsync(Grain, "state", "first", null, Ct);
        await States.ClearAsync(Grain, "state", 1, Ct);

        Assert.Null(await States.WriteAsync(Grain, "state", "stale", 1, Ct));
        Assert.Null(await States.WriteAsync(Grain, "state", "as if new", null, Ct));
        Assert.Null(await States.ClearAsync(Grain, "state", 1, Ct));
        Assert.Equal(new(null, 2), await States.ReadAsync(Grain, "state", Ct));

        Assert.Equal(3, await States.WriteAsync(Grain, "state", "after clear", 2, Ct));
        Assert.Equal(new("after clear", 3), await States.ReadAsync(Grain, "state", Ct));
    }

    [Fact]
    public async Task Clear_with_no_row_records_an_empty_row_so_a_second_blind_writer_conflicts()
    {
        Assert.Equal(1, await States.ClearAsync(Grain, "state", null, Ct));

        Assert.Equal(new(null, 1), await States.ReadAsync(Grain, "state", Ct));
        Assert.Null(await States.ClearAsync(Grain, "state", null, Ct));
        Assert.Null(await States.WriteAsync(Grain, "state", "blind", null, Ct));
    }

    [Fact]
    public async Task Reminders_upsert_then_read_all()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123);
        var a = new ReminderEntry(new GrainId("account", "a"), "expire-hold", start, TimeSpan.FromMinutes(5));
        var b = new ReminderEntry(new GrainId("cast", "b"), "timeout", start.AddSeconds(1), TimeSpan.FromMilliseconds(1500));

        await Reminders.UpsertAsync(a, Ct);
        await Reminders.UpsertAsync(b, Ct);

        var all = await Reminders.ReadAllAsync(Ct);
        Assert.Equal(2, all.Count);
        Assert.Contains(a, all);
        Assert.Contains(b, all);
    }

    [Fact]
    public async Task Reminder_upsert_replaces_the_same_grain_and_name()
    {
        var grain = new GrainId("account", "a");
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
        await Reminders.UpsertAsync(new ReminderEntry(grain, "tick", start, TimeSpan.FromSeconds(1)), Ct);
        await Reminders.UpsertAsync(new ReminderEntry(grain, "other", start, TimeSpan.FromSeconds(1)), Ct);

        var replaced = new ReminderEntry(grain, "tick", start.AddHours(1), TimeSpan.FromHours(2));
        await Reminders.UpsertAsync(replaced, Ct);

        var all = await Reminders.ReadAllAsync(Ct);
        Assert.Equal(2, all.Count);
        Assert.Equal(replaced, Assert.Single(all, r => r.Name == "tick"));
    }

    [Fact]
    public async Task Reminder_times_are_kept_to_the_millisecond()
    {
        var start = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(2)).AddTicks(4567);
        await Reminders.UpsertAsync(new ReminderEntry(Grain, "tick", start, TimeSpan.FromTicks(12_345_678)), Ct);

        var read = Assert.Single(await Reminders.ReadAllAsync(Ct));
        Assert.Equal(start.AddTicks(-4567), read.StartAt);
        Assert.Equal(TimeSpan.FromMilliseconds(1234), read.Period);
    }

    [Fact]
    public async Task Reminder_delete_reports_whether_a_row_was_removed()
    {
        var keep = new ReminderEntry(Grain, "keep", DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1));
        await Reminders.UpsertAsync(keep, Ct);
        await Reminders.UpsertAsync(keep with { Name = "drop" }, Ct);

        Assert.True(await Reminders.DeleteAsync(Grain, "drop", Ct));
        Assert.False(await Reminders.DeleteAsync(Grain, "drop", Ct));
        Assert.False(await Reminders.DeleteAsync(new GrainId("account", "nobody"), "keep", Ct));

        Assert.Equal(keep, Assert.Single(await Reminders.ReadAllAsync(Ct)));
    }

    [Fact]
    public async Task Reminders_read_all_is_empty_on_a_new_database()
    {
        Assert.Empty(await Reminders.ReadAllAsync(Ct));
    }

    [Fact]
    public async Task A_new_database_has_no_migrations_and_is_not_up_to_date()
    {
        var runner = new MigrationRunner(Open(await CreateEmptyDatabaseAsync()), TimeProvider.System);

        Assert.Empty(await runner.GetAppliedAsync(Ct));
        Assert.False(await runner.IsUpToDateAsync(Ct));
    }

    [Fact]
    public async Task Applying_migrations_twice_is_idempotent_and_recorded()
    {
        var clock = new Grid.TestKit.ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        var runner = new MigrationRunner(Open(await CreateEmptyDatabaseAsync()), clock);
        var all = runner.Migrations.Select(m => m.Version).ToArray();
        Assert.Contains(1, all);

        Assert.Equal(all, await runner.ApplyAsync(Ct));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await runner.ApplyAsync(Ct));

        var applied = await runner.GetAppliedAsync(Ct);
        Assert.Equal(runner.Migrations.Select(m => (m.Version, m.Name)), applied.Select(a => (a.Version, a.Name)));
        Assert.All(applied, a => Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000), a.AppliedAt));
        Assert.Equal("runtime", applied[0].Name);
        Assert.True(await runner.IsUpToDateAsync(Ct));
    }

    [Theory]
    [InlineData(999_999, "from-a-newer-build")]
    [InlineData(1, "another-first-step")]
    public async Task A_database_another_build_migrated_is_refused_at_start_and_not_ready(int version, string name)
    {
        var options = await CreateEmptyDatabaseAsync();
        var runner = new MigrationRunner(Open(options), TimeProvider.System);
        await runner.ApplyAsync(Ct);
        await using (var connection = await Open(options).OpenConnectionAsync(Ct))
        {
            var sql = version == 1
                ? "UPDATE schema_migrations SET name = @name WHERE version = @version"
                : "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, 0)";
            await using var command = connection.CreateCommand(sql).With("version", version).With("name", name);
            Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
        }

        var refused = await Assert.ThrowsAsync<StorageConfigurationException>(() => new MigrationRunner(Open(options), TimeProvider.System).ApplyAsync(Ct));
        Assert.Contains($"migration {version} ({name})", refused.Message, StringComparison.Ordinal);
        Assert.True(await runner.IsUpToDateAsync(Ct)); // a silo already running stays ready while a newer one migrates

        // An operator who knows the newer migrations are additive starts this build anyway.
        var allowing = new StorageOptions
        {
            Provider = options.Provider, ConnectionString = options.ConnectionString, DataDirectory = options.DataDirectory, AllowNewerSchema = true,
        };
        var allowed = new MigrationRunner(Open(allowing), TimeProvider.System);
        Assert.Empty(await allowed.ApplyAsync(Ct));
    }

    [Fact]
    public async Task Concurrent_migration_runners_on_a_new_database_all_succeed_and_apply_each_step_once()
    {
        var options = await CreateEmptyDatabaseAsync();

        // Separate databases (pools), as separate silos starting together would have.
        var runners = Enumerable.Range(0, 4).Select(_ => new MigrationRunner(Open(options), TimeProvider.System)).ToArray();
        var results = await Task.WhenAll(runners.Select(r => Task.Run(() => r.ApplyAsync(Ct))));

        var versions = runners[0].Migrations.Select(m => m.Version);
        Assert.Equal(versions, results.SelectMany(r => r).Order());
        Assert.Equal(versions, (await runners[1].GetAppliedAsync(Ct)).Select(a => a.Version));
        foreach (var runner in runners)
        {
            Assert.True(await runner.IsUpToDateAsync(Ct));
        }

        var store = new SqlGrainStateStore(Open(options), TimeProvider.System);
        Assert.Equal(1, await store.WriteAsync(Grain, "state", "works", null, Ct));
    }

    /// <summary>Returns options for a new, empty database (no tables); each call a different one.</summary>
    protected abstract Task<StorageOptions> CreateEmptyDatabaseAsync();

    protected abstract ValueTask DisposeResourcesAsync();

    /// <summary>A second handle on the test's database that announces journal appends; the caller disposes it.</summary>
    protected GridDatabase CreateAnnouncingDatabase() => GridDatabase.Create(new StorageOptions
    {
        Provider = Options.Provider,
        ConnectionString = Options.ConnectionString,
        DataDirectory = Options.DataDirectory,
        AnnounceJournal = true,
    });

    /// <summary>Opens a database that is disposed with the test.</summary>
    protected GridDatabase Open(StorageOptions options)
    {
        var database = GridDatabase.Create(options);
        _databases.Add(database);
        return database;
    }
}
