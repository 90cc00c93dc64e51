using Grid.Runtime.Hosting;
using Grid.Runtime.Membership;
using Grid.Storage;
using Grid.Storage.Migrations;
using Grid.Storage.Stores;
using Grid.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Grid.Runtime.Tests.Membership;

/// <summary>Silos joining, heartbeating, crashing and leaving through the membership table on PostgreSQL.</summary>
public sealed class MembershipServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Suspect = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _time = new();
    private readonly List<MembershipService> _started = [];
    private PostgresTestDatabase _database = null!;
    private GridDatabase _grid = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _grid = GridDatabase.Create(_database.StorageOptions);
        await new MigrationRunner(_grid, TimeProvider.System).ApplyAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _started)
        {
            service.Dispose();
        }

        await _grid.DisposeAsync();
        await _database.DisposeAsync();
    }

    private SqlMembershipTable Table => new(_grid);

    private async Task<MembershipService> StartAsync(
        string name, IMembershipTable? table = null, TimeProvider? clock = null, TimeSpan? departedRetention = null)
    {
        clock ??= _time;
        var silo = new SiloIdentity($"{name}-id", name, clock.GetUtcNow());
        var options = Options.Create(new ClusterOptions
        {
            Enabled = true,
            Endpoint = $"http://127.0.0.1/{name}",
            Secret = new string('s', ClusterOptions.MinSecretLength),
            HeartbeatPeriod = Heartbeat,
            SuspectTimeout = Suspect,
            DepartedRetention = departedRetention ?? TimeSpan.FromHours(1),
        });
        var service = new MembershipService(table ?? Table, silo, options, clock, NullLogger<MembershipService>.Instance);
        await service.StartAsync(CancellationToken.None);
        _started.Add(service);
        return service;
    }

    /// <summary>Moves the clock one heartbeat and waits until every running silo has read the table since.</summary>
    private async Task BeatAsync(params MembershipService[] running)
    {
        _time.Advance(Heartbeat);
        var now = _time.GetUtcNow();
        await Eventually.TrueAsync(() => running.All(s => s.View.ComputedAt >= now), "every silo refreshed its view");
    }

    private async Task<SiloStatus> StatusAsync(string name) =>
        (await Table.ReadAllAsync(CancellationToken.None)).Single(r => r.Name == name).Status;

    private static string[] Names(MembershipService service) => service.View.Silos.Select(s => s.Name).ToArray();

    [Fact]
    public async Task A_silo_owns_no_grain_before_it_has_joined()
    {
        var silo = new SiloIdentity("early-id", "early", _time.GetUtcNow());
        var options = Options.Create(new ClusterOptions
        {
            Enabled = true,
            Endpoint = "http://127.0.0.1/early",
            Secret = new string('s', ClusterOptions.MinSecretLength),
            HeartbeatPeriod = Heartbeat,
            SuspectTimeout = Suspect,
        });
        using var service = new MembershipService(Table, silo, options, _time, NullLogger<MembershipService>.Instance);
        var placement = new ClusterPlacement(service, silo);
        var grains = Enumerable.Range(0, 50).Select(i => new GrainId("Account", $"acc-{i}")).ToArray();

        // Reminders due at start fire before the silo joins; owning nothing then, it leaves them to their owners.
        Assert.All(grains, grain => Assert.False(placement.IsLocal(grain)));

        await service.StartAsync(CancellationToken.None);
        Assert.All(grains, grain => Assert.True(placement.IsLocal(grain))); // alone in the cluster, it owns them all
    }

    [Fact]
    public async Task Silos_that_join_see_each_other_within_one_heartbeat()
    {
        var a = await StartAsync("a");
        Assert.Equal(["a"], Names(a));
        var b = await StartAsync("b");
        var c = await StartAsync("c");
        Assert.Equal(["a", "b", "c"], Names(c)); // the newest reads everyone at once

        await BeatAsync(a, b, c);
        Assert.All(new[] { a, b, c }, s => Assert.Equal(["a", "b", "c"], Names(s)));
        var grain = new GrainId("account", "acc-7");
        Assert.Single(new[] { a, b, c }.Select(s => s.View.OwnerOf(grain)!.SiloId).Distinct());
    }

    [Fact]
    public async Task A_crashed_silo_drops_out_once_its_heartbeat_is_older_than_the_suspect_timeout()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b");
        // A silo that joined, then died without a word: its row simply stops moving.
        await Table.UpsertAsync(new MembershipEntry("crashed-id", "crashed", "http://127.0.0.1/crashed", _time.GetUtcNow(), _time.GetUtcNow(), SiloStatus.Active), CancellationToken.None);
        var changes = new System.Collections.Concurrent.ConcurrentQueue<int>();
        a.ViewChanged += (_, view) => changes.Enqueue(view.Silos.Count);

        await BeatAsync(a, b);
        Assert.Equal(["a", "b", "crashed"], Names(a));
        for (var beat = 1; beat < Suspect / Heartbeat; beat++)
        {
            await BeatAsync(a, b);
        }

        Assert.Equal(["a", "b", "crashed"], Names(a)); // exactly the suspect timeout old: still in
        await BeatAsync(a, b);
        Assert.Equal(["a", "b"], Names(a));
        Assert.Equal(["a", "b"], Names(b));
        await Eventually.TrueAsync(() => changes.Count == 2, "both view changes were announced");
        Assert.Equal([3, 2], changes);
    }

    [Fact]
    public async Task A_live_silo_whose_wall_clock_runs_a_minute_behind_is_in_every_view_from_its_third_heartbeat()
    {
        var behindBy = TimeSpan.FromMinutes(1);
        var a = await StartAsync("a");
        var behind = await StartAsync("behind", clock: new ShiftedClock(_time, -behindBy));
        Assert.Equal(["a", "behind"], Names(behind)); // a's heartbeat, a minute ahead of its own clock, is new to it

        // a's first sight of the row says a minute old; the heartbeat seen moving at a later read says alive. Both silos
        // beat on the same tick, so a's read may come before or after behind's write in each: a first sight after the
        // first write and a read before the second sees no move until the third.
        await BeatAsync(a, behind, -behindBy);
        await BeatAsync(a, behind, -behindBy);
        await BeatAsync(a, behind, -behindBy);
        for (var beat = 0; beat < 2 * (Suspect / Heartbeat); beat++)
        {
            Assert.Equal(["a", "behind"], Names(a));
            Assert.Equal(["a", "behind"], Names(behind));
            await BeatAsync(a, behind, -behindBy);
        }
    }

    [Fact]
    public async Task A_crashed_silo_whose_wall_clock_ran_ahead_drops_out_one_suspect_timeout_after_its_heartbeat_stopped()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b");
        // It died with its clock a minute ahead: its last heartbeat lies in the future of everyone else's clock.
        var ahead = _time.GetUtcNow().AddMinutes(1);
        await Table.UpsertAsync(new MembershipEntry("ahead-id", "ahead", "http://127.0.0.1/ahead", ahead, ahead, SiloStatus.Active), CancellationToken.None);

        await BeatAsync(a, b); // first seen here: new, as far as anyone can tell
        Assert.Equal(["a", "ahead", "b"], Names(a));
        for (var beat = 0; beat < Suspect / Heartbeat; beat++)
        {
            await BeatAsync(a, b);
        }

        Assert.Equal(["a", "ahead", "b"], Names(a)); // the suspect timeout since its heartbeat was seen: still in
        await BeatAsync(a, b);
        Assert.Equal(["a", "b"], Names(a)); // not a minute more
        Assert.Equal(["a", "b"], Names(b));
    }

    [Fact]
    public async Task A_live_silo_whose_clock_steps_a_minute_back_stays_in_every_view_its_own_included()
    {
        var a = await StartAsync("a");
        var clock = new ShiftedClock(_time, TimeSpan.Zero);
        var stepped = await StartAsync("stepped", clock: clock);
        await BeatAsync(a, stepped, TimeSpan.Zero);
        Assert.Equal(["a", "stepped"], Names(a));

        // Its heartbeats now say a minute ago; the table keeps the newest, so each moves the row by a millisecond.
        clock.Shift = TimeSpan.FromMinutes(-1);
        for (var beat = 0; beat < 2 * (Suspect / Heartbeat); beat++)
        {
            await BeatAsync(a, stepped, clock.Shift);
            Assert.Equal(["a", "stepped"], Names(a));
            Assert.Equal(["a", "stepped"], Names(stepped));
        }
    }

    /// <summary>Moves the shared clock one heartbeat and waits until both silos, one on a shifted clock, have read the table since.</summary>
    private async Task BeatAsync(MembershipService onTime, MembershipService shifted, TimeSpan shift)
    {
        _time.Advance(Heartbeat);
        var now = _time.GetUtcNow();
        await Eventually.TrueAsync(() => onTime.View.ComputedAt >= now && shifted.View.ComputedAt >= now + shift, "both silos refreshed their views");
    }

    /// <summary>The test's clock with its wall-clock time shifted (a silo whose clock is off); timers and timestamps are the test's.</summary>
    private sealed class ShiftedClock(TimeProvider inner, TimeSpan shift) : TimeProvider
    {
        public TimeSpan Shift { get; set; } = shift;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Shift;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime, period);
    }

    [Fact]
    public async Task A_silo_silent_past_the_suspect_timeout_lets_its_activations_go_before_it_owns_grains_again()
    {
        var table = new HeldHeartbeats(Table);
        var a = await StartAsync("a", table);
        var changes = new System.Collections.Concurrent.ConcurrentQueue<int>();
        a.ViewChanged += (_, view) => changes.Enqueue(view.Silos.Count);
        for (var beat = 0; beat < 3; beat++)
        {
            await BeatAsync(a);
        }

        Assert.Empty(changes); // heartbeats on time change nothing

        // A stall (here a heartbeat that hangs) longer than the suspect timeout: the others may have dropped this silo and
        // served its grains. It sees a view without itself first (its activations go), then the table's own.
        var held = table.Hold();
        _time.Advance(Heartbeat);
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(Suspect);
        table.Release();
        await Eventually.TrueAsync(() => changes.Count == 2, "a shed its grains and took them back");
        Assert.Equal([0, 1], changes);
        Assert.Equal(["a"], Names(a));
    }

    [Fact]
    public async Task A_silo_cut_off_from_the_table_past_the_suspect_timeout_has_no_current_view_to_hand_out()
    {
        var table = new HeldHeartbeats(Table);
        var a = await StartAsync("a", table);
        Assert.True(a.HasCurrentView);

        var held = table.Hold(); // the table stops answering this silo
        _time.Advance(Heartbeat);
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(Suspect - Heartbeat);
        Assert.True(a.HasCurrentView); // read exactly the suspect timeout ago: still current
        _time.Advance(Heartbeat);
        Assert.False(a.HasCurrentView);

        table.Release();
        await Eventually.TrueAsync(() => a.HasCurrentView, "read again once the table answers");
    }

    [Fact]
    public async Task A_shed_whose_read_failed_is_done_at_the_next_round()
    {
        var table = new HeldHeartbeats(Table);
        var a = await StartAsync("a", table);
        var changes = new System.Collections.Concurrent.ConcurrentQueue<int>();
        a.ViewChanged += (_, view) => changes.Enqueue(view.Silos.Count);
        await BeatAsync(a);

        var held = table.Hold();
        _time.Advance(Heartbeat);
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(Suspect);
        table.FailNextRead();
        table.Release();
        await Eventually.TrueAsync(() => table.FailedReads == 1, "the shed's read failed");

        // The next round (at once: the stalled one overran its period) was not silent, yet the activations loaded
        // before the stall must still go.
        _time.Advance(Heartbeat);
        await Eventually.TrueAsync(() => changes.Count == 2, "a shed its grains at the next round and took them back");
        Assert.Equal([0, 1], changes);
    }

    /// <summary>The membership table, whose next heartbeat can be made to hang until released.</summary>
    private sealed class HeldHeartbeats(IMembershipTable inner) : IMembershipTable
    {
        private TaskCompletionSource? _started;
        private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Hold()
        {
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _started.Task;
        }

        public void Release() => _gate.TrySetResult();

        public async Task<bool> HeartbeatAsync(string siloId, DateTimeOffset at, CancellationToken cancellationToken)
        {
            if (_started is { } started)
            {
                started.TrySetResult();
                await _gate.Task.WaitAsync(cancellationToken);
                _started = null;
            }

            return await inner.HeartbeatAsync(siloId, at, cancellationToken);
        }

        private int _failNextRead;
        private int _failedReads;

        public int FailedReads => Volatile.Read(ref _failedReads);

        /// <summary>The next read of the table fails, as one that lost the database would.</summary>
        public void FailNextRead() => Volatile.Write(ref _failNextRead, 1);

        public Task<IReadOnlyList<MembershipEntry>> ReadAllAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _failNextRead, 0) == 1)
            {
                Interlocked.Increment(ref _failedReads);
                return Task.FromException<IReadOnlyList<MembershipEntry>>(new TimeoutException("The membership table did not answer (test)."));
            }

            return inner.ReadAllAsync(cancellationToken);
        }

        private int _upserts;

        /// <summary>Rows written whole: the join at start, and one more each time the silo had to join again.</summary>
        public int Upserts => Volatile.Read(ref _upserts);

        public Task UpsertAsync(MembershipEntry entry, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _upserts);
            return inner.UpsertAsync(entry, cancellationToken);
        }

        public Task<int> RemoveDepartedAsync(DateTimeOffset before, DateTimeOffset activeBefore, CancellationToken cancellationToken) =>
            inner.RemoveDepartedAsync(before, activeBefore, cancellationToken);

        public Task<bool> RemoveSilentAsync(string siloId, DateTimeOffset heartbeatAt, CancellationToken cancellationToken) =>
            inner.RemoveSilentAsync(siloId, heartbeatAt, cancellationToken);
    }

    [Fact]
    public async Task A_live_silo_whose_clock_runs_two_hours_behind_keeps_its_row_while_a_crashed_silos_row_is_removed()
    {
        var retention = TimeSpan.FromSeconds(30);
        var behindBy = TimeSpan.FromHours(2);
        var a = await StartAsync("a", departedRetention: retention);
        var behindTable = new HeldHeartbeats(Table);
        var behind = await StartAsync("behind", behindTable, new ShiftedClock(_time, -behindBy), retention);
        await Table.UpsertAsync(new MembershipEntry("crashed-id", "crashed", "http://127.0.0.1/crashed", _time.GetUtcNow(), _time.GetUtcNow(), SiloStatus.Active), CancellationToken.None);
        var changes = new System.Collections.Concurrent.ConcurrentQueue<int>();
        behind.ViewChanged += (_, view) => changes.Enqueue(view.Silos.Count);

        // Each silo tidies the table every 60 rounds; by a's clock, behind's heartbeat is two hours old at every one.
        for (var beat = 0; beat < 125; beat++)
        {
            await BeatAsync(a, behind, -behindBy);
        }

        var rows = await Table.ReadAllAsync(CancellationToken.None);
        Assert.Equal(["a", "behind"], rows.Select(r => r.Name).Order()); // the crashed one went, watched silent for 30 s
        Assert.Equal(1, behindTable.Upserts); // behind never had to join again
        Assert.Equal(["a", "behind"], Names(behind));
        Assert.Equal([3, 2], changes); // crashed seen, then gone; never a view without itself (a shed of its grains)
    }

    [Fact]
    public async Task A_silo_that_stops_gracefully_hands_over_and_leaves_every_view_at_the_next_heartbeat()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b");
        await BeatAsync(a, b);

        var changes = new System.Collections.Concurrent.ConcurrentQueue<int>();
        b.ViewChanged += (_, view) => changes.Enqueue(view.Silos.Count);
        var stopping = b.StoppingAsync(CancellationToken.None); // the host calls it before stopping the web server
        await Eventually.TrueAsync(async () => await StatusAsync("b") == SiloStatus.Leaving, "b announces it is leaving");
        // Its own view drops it at once, with no heartbeat passing (the clock stands still): its grains go to their new
        // owners. The view is published just after the table is written, so it is waited for, not read straight away.
        await Eventually.TrueAsync(() => Names(b).SequenceEqual(["a"]), "b drops itself from its own view");
        Assert.Equal([1], changes);
        await BeatAsync(a);
        Assert.Equal(["a"], Names(a)); // the others, at their next refresh

        _time.Advance(2 * Heartbeat); // b gave the others two heartbeats to notice
        await stopping;
        Assert.Equal(SiloStatus.Leaving, await StatusAsync("b"));
        await b.StopAsync(CancellationToken.None);
        Assert.Equal(SiloStatus.Dead, await StatusAsync("b"));
    }

    [Fact]
    public async Task A_silo_whose_row_was_removed_joins_again_at_its_next_heartbeat()
    {
        var a = await StartAsync("a");
        var row = Assert.Single(await Table.ReadAllAsync(CancellationToken.None));
        Assert.True(await Table.RemoveSilentAsync(row.SiloId, row.HeartbeatAt, CancellationToken.None)); // as after a long partition

        await BeatAsync(a);
        row = Assert.Single(await Table.ReadAllAsync(CancellationToken.None));
        Assert.Equal(("a", SiloStatus.Active), (row.Name, row.Status));
        Assert.Equal(["a"], Names(a));
    }
}
