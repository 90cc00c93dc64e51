using Grid.Runtime.Tests.Grains;
using Grid.Runtime.Tests.Support;
using Grid.Runtime.Persistence;
using Grid.Storage;
using Grid.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Runtime.Tests;

/// <summary>Runtime behaviour that rests on the store; run against SQLite and PostgreSQL alike.</summary>
public abstract class DurableRuntimeTests : IAsyncLifetime
{
    protected StorageOptions Storage { get; set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task State_written_is_read_back_by_a_new_silo_after_a_stop()
    {
        await using (var first = await TestSilo.StartAsync(storage: Storage))
        {
            var grain = first.Grains.GetGrain<IStatefulGrain>("persist");
            await grain.Add(40);
            Assert.Equal(42, await grain.Add(2));
            Assert.Equal("2", await grain.ETag());
        }

        await using var second = await TestSilo.StartAsync(storage: Storage);
        var again = second.Grains.GetGrain<IStatefulGrain>("persist");
        Assert.Equal(42, await again.Get());
        Assert.Equal("2", await again.ETag());
        Assert.Equal(43, await again.Add(1));
    }

    [Fact]
    public async Task Second_writer_of_a_split_brain_conflicts_is_deactivated_and_the_next_call_sees_the_winner()
    {
        // Two silos over one store, each with its own activation of the same grain: the window fencing covers.
        await using var a = await TestSilo.StartAsync(storage: Storage);
        await using var b = await TestSilo.StartAsync(storage: Storage);
        var onA = a.Grains.GetGrain<IStatefulGrain>("split");
        var onB = b.Grains.GetGrain<IStatefulGrain>("split");
        Assert.Equal(0, await onA.Get());
        Assert.Equal(0, await onB.Get()); // both activations have read "no state yet"

        Assert.Equal(5, await onA.Add(5));
        var conflict = await Assert.ThrowsAsync<StateConflictException>(() => onB.Add(100));
        Assert.Equal("total", conflict.StateName);

        var id = onB.GetGrainId();
        await Eventually.TrueAsync(() => b.Get<ActivationLog>().DeactivationsOf(id).Contains(DeactivationReason.StateConflict), "stale activation deactivated");
        Assert.Equal(5, await onB.Get()); // a fresh activation read the winner's state
        Assert.Equal(2, b.Get<ActivationLog>().ActivationsOf(id));
        Assert.Equal(12, await onB.Add(7));

        // Now the roles swap: A holds the stale version.
        await Assert.ThrowsAsync<StateConflictException>(() => onA.Add(1));
        await Eventually.TrueAsync(() => a.Get<ActivationLog>().DeactivationsOf(id).Contains(DeactivationReason.StateConflict), "A deactivated");
        Assert.Equal(12, await onA.Get());
    }

    [Theory]
    [InlineData(false, 5)]
    [InlineData(true, 105)]
    public async Task A_failed_write_deactivates_the_activation_so_the_next_call_sees_what_the_store_holds(bool afterWriting, long stored)
    {
        FailingStateStore? store = null;
        await using var silo = await TestSilo.StartAsync(storage: Storage, configure: services =>
            services.AddSingleton<IGrainStateStore>(sp => store = new FailingStateStore(ActivatorUtilities.CreateInstance<SqlGrainStateStore>(sp))));
        var grain = silo.Grains.GetGrain<IStatefulGrain>("failed-write");
        Assert.Equal(5, await grain.Add(5));

        store!.FailNextWrite(afterWriting);
        await Assert.ThrowsAsync<TimeoutException>(() => grain.Add(100));

        // Whatever the store took is what the next call sees, never the unsaved total in the failed activation's memory.
        var id = grain.GetGrainId();
        await Eventually.TrueAsync(() => silo.Get<ActivationLog>().DeactivationsOf(id).Contains(DeactivationReason.StateWriteFailed), "the activation went");
        Assert.Equal(stored, await grain.Get());
        Assert.Equal(stored + 1, await grain.Add(1));
        Assert.Equal(2, silo.Get<ActivationLog>().ActivationsOf(id));
    }

    [Fact]
    public async Task An_activation_whose_state_read_was_cancelled_fails_its_calls_and_the_next_call_reads_the_state_afresh()
    {
        await using (var first = await TestSilo.StartAsync(storage: Storage))
        {
            Assert.Equal(5, await first.Grains.GetGrain<IStatefulGrain>("cancelled-read").Add(5));
        }

        await using var silo = await TestSilo.StartAsync(storage: Storage, configure: services =>
            services.AddSingleton<IGrainStateStore>(sp => new FailingStateStore(ActivatorUtilities.CreateInstance<SqlGrainStateStore>(sp))));
        var grain = silo.Grains.GetGrain<IStatefulGrain>("cancelled-read");
        var store = (FailingStateStore)silo.Get<IGrainStateStore>();
        store.CancelNextRead(grain.GetGrainId());

        // Never an answer from the empty state the read did not fill: 0 here would be a balance, a link, made up. The
        // call fails with the activation when it reached it first; when the read was cancelled before the call reached
        // the activation (the read fails at once), the call goes to a fresh activation, which reads the state.
        try
        {
            Assert.Equal(5, await grain.Get());
        }
        catch (GrainActivationException failed)
        {
            Assert.IsAssignableFrom<OperationCanceledException>(failed.InnerException);
        }

        Assert.Equal(1, store.CancelledReads);
        Assert.Equal(5, await grain.Get());
        Assert.Equal(6, await grain.Add(1));
    }

    [Fact]
    public async Task Cleared_state_keeps_fencing_stale_writers()
    {
        await using var a = await TestSilo.StartAsync(storage: Storage);
        await using var b = await TestSilo.StartAsync(storage: Storage);
        var onA = a.Grains.GetGrain<IStatefulGrain>("cleared");
        var onB = b.Grains.GetGrain<IStatefulGrain>("cleared");
        await onA.Add(3);
        Assert.Equal(3, await onB.Get());
        await onA.Clear();

        await Assert.ThrowsAsync<StateConflictException>(() => onB.Add(1));
        await Eventually.TrueAsync(() => b.Get<ActivationLog>().DeactivationsOf(onB.GetGrainId()).Count == 1, "B deactivated");
        Assert.Equal(0, await onB.Get());
        Assert.Equal(1, await onB.Add(1));
    }

    [Fact]
    public async Task Reminder_registered_before_a_restart_fires_on_the_new_silo()
    {
        var clock = new ManualTimeProvider();
        var grainId = default(GrainId);
        await using (var first = await TestSilo.StartAsync(time: clock, storage: Storage))
        {
            var grain = first.Grains.GetGrain<IReminderGrain>("r");
            grainId = grain.GetGrainId();
            await grain.Arm("expire", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1));
            clock.Advance(TimeSpan.FromMinutes(4));
            Assert.Empty(first.Get<ReminderLog>().TicksOf(grainId, "expire"));
        }

        clock.Advance(TimeSpan.FromMinutes(3.5)); // three ticks due while no silo was up (5, 6 and 7 minutes in)
        await using var second = await TestSilo.StartAsync(time: clock, storage: Storage);
        var log = second.Get<ReminderLog>();
        await Eventually.TrueAsync(() => log.TicksOf(grainId, "expire").Count == 1, "missed ticks fire once at start");
        var tick = log.TicksOf(grainId, "expire")[0];
        // The catch-up tick is the latest one missed, with its own time (7 minutes in), not the first one's.
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromMinutes(0.5), tick.CurrentTickTime);
        Assert.Equal(tick.CurrentTickTime - TimeSpan.FromMinutes(2), tick.FirstTickTime);

        clock.Advance(TimeSpan.FromMinutes(0.5)); // back on the period's grid
        await Eventually.TrueAsync(() => log.TicksOf(grainId, "expire").Count == 2, "next period");

        await second.Grains.GetGrain<IReminderGrain>("r").Disarm("expire");
        clock.Advance(TimeSpan.FromMinutes(5));
        await Task.Yield();
        Assert.Equal(2, log.TicksOf(grainId, "expire").Count);
    }

    [Fact]
    public async Task Idle_collected_grain_comes_back_with_its_state()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: clock, storage: Storage, options: o => o.CollectionAge = TimeSpan.FromMinutes(2));
        var grain = silo.Grains.GetGrain<IStatefulGrain>("idle");
        await grain.Add(9);

        clock.Advance(TimeSpan.FromMinutes(3));
        await Eventually.TrueAsync(() => silo.Get<ActivationLog>().DeactivationsOf(grain.GetGrainId()).Count == 1, "collected");

        Assert.Equal(9, await grain.Get());
        Assert.Equal(2, silo.Get<ActivationLog>().ActivationsOf(grain.GetGrainId()));
    }
}

public sealed class SqliteDurableRuntimeTests : DurableRuntimeTests
{
    private readonly TemporaryDirectory _directory = new();

    public override Task InitializeAsync()
    {
        Storage = new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = _directory.Path };
        return Task.CompletedTask;
    }

    public override Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class PostgresDurableRuntimeTests : DurableRuntimeTests
{
    private PostgresTestDatabase? _database;

    public override async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        Storage = _database.StorageOptions;
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
