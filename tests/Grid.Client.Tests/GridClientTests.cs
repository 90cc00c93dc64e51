using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.TestKit;
using Xunit;

namespace Grid.Client.Tests;

/// <summary>The embedded client against real silo processes on PostgreSQL.</summary>
public sealed class GridClientTests
{
    private const string AdminKey = TestCluster.AdminKey;

    internal static GridClientOptions Options(Action<GridClientOptions> configure)
    {
        var options = new GridClientOptions { Secret = TestCluster.Secret, SuspectTimeout = TimeSpan.FromSeconds(2), RefreshPeriod = TimeSpan.FromMilliseconds(250) };
        configure(options);
        return options;
    }

    private static async Task<long> AccountActivationsAsync(SiloProcess silo)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/cluster");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await silo.Http.SendAsync(request);
        using var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return view.RootElement.GetProperty("activationsByType").TryGetProperty("account", out var count) ? count.GetInt64() : 0;
    }

    [Fact]
    public async Task A_client_given_one_endpoint_or_the_database_calls_owners_directly_with_typed_grains()
    {
        await using var cluster = await TestCluster.StartAsync(3, suspectTimeout: TimeSpan.FromSeconds(10)); // counts activations: no flap may move one
        await Eventually.TrueAsync(async () =>
        {
            await using var probe = await GridClient.ConnectAsync(Options(o => o.Endpoints = [cluster.Silos[0].Endpoint]));
            return probe.View.Silos.Count == 3;
        }, "the silos see each other");

        await using var byEndpoint = await GridClient.ConnectAsync(Options(o => o.Endpoints = [cluster.Silos[0].Endpoint]));
        await using var byDatabase = await GridClient.ConnectAsync(Options(o => o.MembershipConnectionString = cluster.Database.ConnectionString));
        Assert.Equal(3, byEndpoint.View.Silos.Count);
        Assert.Equal(byEndpoint.View.Silos.Select(s => s.SiloId), byDatabase.View.Silos.Select(s => s.SiloId));

        // A client whose clock runs a minute ahead finds every heartbeat a minute old at first sight; it connects once it
        // has seen them move.
        await using var ahead = await GridClient.ConnectAsync(Options(o =>
        {
            o.MembershipConnectionString = cluster.Database.ConnectionString;
            o.TimeProvider = new ClockAhead(TimeSpan.FromMinutes(1));
        }));
        Assert.Equal(byDatabase.View.Silos.Select(s => s.SiloId), ahead.View.Silos.Select(s => s.SiloId));

        for (var i = 0; i < 12; i++)
        {
            var account = byEndpoint.GetGrain<IAccountGrain>($"client-{i}");
            await account.Execute(new OpenAccount($"player {i}"));
            await account.Execute(new Deposit("fund", 100));
            var debit = await byDatabase.GetGrain<IAccountGrain>($"client-{i}").Execute(new Debit("spend", 30, Reference: "spell"));
            Assert.Equal(70, debit.Balance.Available);
            var replay = await byEndpoint.GetGrain<IAccountGrain>($"client-{i}").Execute(new Debit("spend", 30, Reference: "spell"));
            Assert.True(replay.Replayed);

            var refused = await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new Debit("greedy", 1_000)));
            Assert.Equal((LedgerErrorCodes.InsufficientFunds, 70L, 1_000L), (refused.Code, refused.Available!.Value, refused.Required!.Value));
        }

        var activations = await Task.WhenAll(cluster.Silos.Select(s => AccountActivationsAsync(s.Process)));
        Assert.Equal(12, activations.Sum()); // each account at its owner only, whichever client called
        var page = await byDatabase.GetGrain<IAccountGrain>("client-3").GetJournal(0, 10);
        Assert.Equal(["open", "deposit", "debit"], page.Entries.Select(e => Grid.Ledger.Journal.JournalEntryKinds.Name(e.Kind)));
    }

    [Fact]
    public async Task Idempotent_calls_survive_a_silo_killed_under_them_and_apply_once()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await using var client = await GridClient.ConnectAsync(Options(o => o.MembershipConnectionString = cluster.Database.ConnectionString));
        await Eventually.TrueAsync(() => client.View.Silos.Count == 3, "the client sees all three silos");
        const int Accounts = 9;
        for (var i = 0; i < Accounts; i++)
        {
            await client.GetGrain<IAccountGrain>($"kill-{i}").Execute(new OpenAccount());
        }

        var acknowledged = new ConcurrentDictionary<string, (string Account, long Amount)>();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var account = $"kill-{random.Next(Accounts)}";
                var operation = $"w{worker}-{n}";
                var amount = 1 + random.Next(9);
                await client.GetGrain<IAccountGrain>(account).Execute(new Deposit(operation, amount)); // no retry here: the client does it
                acknowledged[operation] = (account, amount);
            }
        })).ToArray();

        // Counted, not timed: a loaded machine may take a second a deposit.
        await Eventually.TrueAsync(() => acknowledged.Count >= 10 || workers.Any(w => w.IsFaulted), "10 deposits before the kill");
        await cluster.Silos[1].Process.KillAsync();
        var atKill = acknowledged.Count;
        await Task.Delay(TimeSpan.FromSeconds(4)); // beyond the suspect timeout: owners have moved
        await Eventually.TrueAsync(() => acknowledged.Count >= atKill + 10 || workers.Any(w => w.IsFaulted), "10 deposits after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(workers); // every call the workers made came back acknowledged

        var journaled = new Dictionary<string, (string, long)>();
        for (var i = 0; i < Accounts; i++)
        {
            var page = await client.GetGrain<IAccountGrain>($"kill-{i}").GetJournal(0, 1_000);
            foreach (var entry in page.Entries.Where(e => e.Kind == Grid.Ledger.Journal.JournalEntryKind.Deposit))
            {
                Assert.True(journaled.TryAdd(entry.OperationId, ($"kill-{i}", entry.Amount)), $"{entry.OperationId} twice");
            }
        }

        Assert.True(acknowledged.Count > 20, $"only {acknowledged.Count} deposits were acknowledged");
        Assert.Equal(acknowledged.Count, journaled.Count);
        Assert.All(acknowledged, ack => Assert.Equal(ack.Value, journaled[ack.Key]));
    }

    [Fact]
    public async Task An_idempotent_call_while_the_only_known_silo_restarts_waits_for_it_and_applies_once()
    {
        await using var cluster = await TestCluster.StartAsync(1);
        await using var client = await GridClient.ConnectAsync(Options(o => o.Endpoints = [cluster.Silos[0].Endpoint]));
        var account = client.GetGrain<IAccountGrain>("restarting-1");
        await account.Execute(new OpenAccount());
        await cluster.Silos[0].Process.KillAsync();

        // The silo that would answer the call is the one the view is read from: both fail until it is back. The deposit
        // waits (within its response timeout) instead of failing at the first unread view, which a caller could take
        // for "never ran" and send again under a new operation id.
        var deposit = account.Execute(new Deposit("while-restarting", 50));
        await cluster.RestartAsync(0);
        Assert.Equal(50, (await deposit).Balance.Available);
        Assert.Single((await account.GetJournal(0, 10)).Entries, e => e.OperationId == "while-restarting");

        await client.DisposeAsync(); // by hand, and again by `await using`: the second is a no-op, not ObjectDisposedException
    }

    [Fact]
    public async Task A_silo_that_stops_gracefully_hands_its_grains_over_without_failing_a_call()
    {
        await using var cluster = await TestCluster.StartAsync(3, suspectTimeout: TimeSpan.FromSeconds(10)); // a graceful leave is announced, not detected
        // No retries: every call must find a silo that owns its grain, before, during and after the hand-over.
        await using var client = await GridClient.ConnectAsync(Options(o =>
        {
            o.MembershipConnectionString = cluster.Database.ConnectionString;
            o.RetryIdempotentCalls = false;
        }));
        await Eventually.TrueAsync(() => client.View.Silos.Count == 3, "the client sees all three silos");
        for (var i = 0; i < 9; i++)
        {
            await client.GetGrain<IAccountGrain>($"leave-{i}").Execute(new OpenAccount());
        }

        var failures = new ConcurrentQueue<string>();
        var applied = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                try
                {
                    await client.GetGrain<IAccountGrain>($"leave-{(worker + n) % 9}").Execute(new Deposit($"w{worker}-{n}", 1));
                    Interlocked.Increment(ref applied);
                }
                catch (Exception failed)
                {
                    failures.Enqueue($"{failed.GetType().Name}: {failed.Message}");
                }
            }
        })).ToArray();

        // Counted, not timed: deposits flow before the hand-over and go on flowing after it, however slow the machine.
        await Eventually.TrueAsync(() => Volatile.Read(ref applied) >= 25, "25 deposits before the silo leaves");
        Assert.Equal(0, await cluster.Silos[1].Process.TerminateAsync()); // SIGTERM: announce, hand over, deactivate
        var atLeave = Volatile.Read(ref applied);
        await Eventually.TrueAsync(() => Volatile.Read(ref applied) >= atLeave + 25 || !failures.IsEmpty, "25 deposits after the silo left");
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.True(failures.IsEmpty, string.Join(" | ", failures.Take(5)));
        await Eventually.TrueAsync(() => client.View.Silos.Count == 2, "the client seeing two silos");
    }

    [Fact]
    public async Task A_balance_watch_sees_entries_written_through_any_silo_as_they_become_durable()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        // Polling set far beyond the test's patience: only PostgreSQL's announcements can wake this watcher.
        await using var watcher = await GridClient.ConnectAsync(Options(o =>
        {
            o.MembershipConnectionString = cluster.Database.ConnectionString;
            o.WatchPollPeriod = TimeSpan.FromMinutes(5);
        }));
        await using var polling = await GridClient.ConnectAsync(Options(o =>
        {
            o.Endpoints = [cluster.Silos[1].Endpoint];
            o.WatchPollPeriod = TimeSpan.FromMilliseconds(200);
        }));
        await Eventually.TrueAsync(() => watcher.View.Silos.Count == 2, "the watcher sees both silos");
        var writer = watcher.GetGrain<IAccountGrain>("watched");
        await writer.Execute(new OpenAccount());

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var announced = Collect(watcher.WatchBalanceAsync("watched", afterSequence: 1, stop.Token), count: 3);
        var polled = Collect(polling.WatchBalanceAsync("watched", afterSequence: 1, stop.Token), count: 3);
        await Task.Delay(500); // both are waiting now
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = cluster.Silos[0].Process.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        (await http.PostAsync("/v1/accounts/watched/deposits", JsonContent("""{"operationId":"d-1","amount":50}"""))).EnsureSuccessStatusCode();
        await writer.Execute(new Debit("d-2", 20));
        await writer.Execute(new Deposit("d-3", 5));

        var balances = await announced;
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"announcements took {started.Elapsed}");
        Assert.Equal([(50L, 2L), (30L, 3L), (35L, 4L)], balances.Select(b => (b.Available, b.Sequence)));
        Assert.Equal(balances, await polled);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static async Task<List<Grid.Ledger.Accounts.Balance>> Collect(IAsyncEnumerable<Grid.Ledger.Accounts.Balance> stream, int count)
    {
        var seen = new List<Grid.Ledger.Accounts.Balance>();
        await foreach (var balance in stream)
        {
            seen.Add(balance);
            if (seen.Count == count)
            {
                break;
            }
        }

        return seen;
    }

    /// <summary>The system clock with its wall-clock time moved ahead; timers and timestamps are the system's.</summary>
    private sealed class ClockAhead(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}
