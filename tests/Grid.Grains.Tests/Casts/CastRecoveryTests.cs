using System.Text.Json;
using Grid.Contracts.Casts;
using Grid.Grains.Casts;
using Grid.Grains.Hosting;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;
using Grid.Ledger.Persistence;
using Grid.Runtime.Reminders;
using Grid.Runtime;
using Grid.Storage.Stores;
using Grid.Storage;
using Grid.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Grains.Tests.Casts;

/// <summary>
/// A cast's record rides with the journal entries that move its money, and the sweeper finishes what a crash cut
/// short: an ending whose capture is durable but whose shortfall debit never ran, and a cast past its timeout. Both
/// on SQLite and PostgreSQL, each across a silo restart on the same store.
/// </summary>
public abstract class CastRecoveryTests(string provider) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(provider);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_start_and_a_completion_write_the_record_with_their_entries_and_nothing_else()
    {
        await using var silo = await StartAsync(_storage.Options);
        await silo.Account("rec").Execute(new OpenAccount());
        await silo.Account("rec").Execute(new Deposit("fund", 1_000));
        var cast = silo.Grains.GetGrain<ICastGrain>("rec-1");

        await cast.Start(new CastStart("rec-1", "rec", 100, 20, "upscale", TimeSpan.FromMinutes(10)));
        var started = await silo.Service<ICastStore>().ReadAsync("rec-1", CancellationToken.None);
        Assert.Equal(CastRecordStage.Running, started!.Stage);
        Assert.NotNull(started.DueAt);

        var done = await cast.Complete(new CastCompletion("rec-1-done", 73, null, 2.0m));
        var ended = await silo.Service<ICastStore>().ReadAsync("rec-1", CancellationToken.None);

        Assert.Equal((CastStatus.Completed, 73L, 47L), (done.Status, done.Charged, done.Refunded));
        Assert.Equal(CastRecordStage.Ended, ended!.Stage);
        Assert.Null(ended.DueAt);
        var journal = await silo.Store.ReadJournalAsync("rec", 0, 100, CancellationToken.None);
        Assert.Equal(["cast:rec-1:hold", "cast:rec-1:capture"], journal.Where(e => e.OperationId.StartsWith("cast:", StringComparison.Ordinal)).Select(e => e.OperationId));
    }

    [Fact]
    public async Task An_ending_cut_short_after_its_capture_is_finished_by_the_sweeper_after_a_restart()
    {
        var options = _storage.Options;
        await using (var silo = await StartAsync(options))
        {
            await silo.Account("cut").Execute(new OpenAccount());
            await silo.Account("cut").Execute(new Deposit("fund", 1_000));
            await silo.Grains.GetGrain<ICastGrain>("cut-1").Start(new CastStart("cut-1", "cut", 100, 20, "render", TimeSpan.FromMinutes(10)));

            // What the grain's first step of a 150-credit completion writes (capture the 120 held, the ending with it),
            // and then the silo dies: the shortfall debit of 30 never runs.
            await CaptureAsEndingAsync(silo, "cut", "cut-1", "cut-1-done", price: 150);
        }

        await using (var silo = await StartAsync(options, sweepPeriod: TimeSpan.FromMilliseconds(200)))
        {
            var store = silo.Service<ICastStore>();
            await Eventually.TrueAsync(async () => (await store.ReadAsync("cut-1", CancellationToken.None))!.Stage == CastRecordStage.Ended, "the sweeper finished the ending");

            var view = await silo.Grains.GetGrain<ICastGrain>("cut-1").Get();
            Assert.Equal((CastStatus.Completed, 150L, 0L), (view!.Status, view.Charged, view.Refunded));
            var journal = await silo.Store.ReadJournalAsync("cut", 0, 100, CancellationToken.None);
            Assert.Equal(
                [("cast:cut-1:hold", JournalEntryKind.Hold, 120L), ("cast:cut-1:capture", JournalEntryKind.Capture, 120L), ("cast:cut-1:shortfall", JournalEntryKind.Debit, 30L)],
                journal.Where(e => e.OperationId.StartsWith("cast:", StringComparison.Ordinal)).Select(e => (e.OperationId, e.Kind, e.Amount)));
            Assert.Equal(850, (await silo.Account("cut").GetBalance()).Available);

            // The caller's retry of its completion gets the same answer, and moves nothing.
            var retried = await silo.Grains.GetGrain<ICastGrain>("cut-1").Complete(new CastCompletion("cut-1-done", 150, null, 2.0m));
            Assert.Equal(view, retried);
            Assert.Equal(850, (await silo.Account("cut").GetBalance()).Available);
        }
    }

    [Fact]
    public async Task A_failure_that_finds_the_hold_taken_by_an_unfinished_completion_finishes_that_completion_and_is_refused()
    {
        await using var silo = await StartAsync(_storage.Options);
        await silo.Account("race").Execute(new OpenAccount());
        await silo.Account("race").Execute(new Deposit("fund", 1_000));
        var cast = silo.Grains.GetGrain<ICastGrain>("race-1");
        await cast.Start(new CastStart("race-1", "race", 100, 20, "render", TimeSpan.FromMinutes(10))); // the grain holds "running"

        // A 150-credit completion's first step reaches the account (capture the 120 held, the ending with it), but its
        // answer never reaches the cast grain, which still believes the cast is running.
        await CaptureAsEndingAsync(silo, "race", "race-1", "race-1-done", price: 150);

        var refused = await Assert.ThrowsAsync<Grid.Ledger.Errors.LedgerException>(() => cast.Fail(new CastFailure("race-1-fail", "worker lost")));
        Assert.Equal(Grid.Ledger.Errors.LedgerErrorCodes.InvalidState, refused.Code);

        var view = await cast.Get();
        Assert.Equal((CastStatus.Completed, 150L, 0L), (view!.Status, view.Charged, view.Refunded));
        Assert.Equal(CastRecordStage.Ended, (await silo.Service<ICastStore>().ReadAsync("race-1", CancellationToken.None))!.Stage);
        var journal = await silo.Store.ReadJournalAsync("race", 0, 100, CancellationToken.None);
        Assert.Equal(
            [("cast:race-1:hold", JournalEntryKind.Hold, 120L), ("cast:race-1:capture", JournalEntryKind.Capture, 120L), ("cast:race-1:shortfall", JournalEntryKind.Debit, 30L)],
            journal.Where(e => e.OperationId.StartsWith("cast:", StringComparison.Ordinal)).Select(e => (e.OperationId, e.Kind, e.Amount)));
        Assert.Equal(850, (await silo.Account("race").GetBalance()).Available);
        Assert.Equal(view, await cast.Complete(new CastCompletion("race-1-done", 150, null, 2.0m))); // the completion's own retry
    }

    [Fact]
    public async Task A_cast_whose_account_was_closed_after_its_hold_went_ends_with_nothing_charged_instead_of_failing_for_good()
    {
        await using var silo = await StartAsync(_storage.Options);
        var account = silo.Account("gone");
        await account.Execute(new OpenAccount());
        await account.Execute(new Deposit("fund", 120));
        var cast = silo.Grains.GetGrain<ICastGrain>("gone-1");
        await cast.Start(new CastStart("gone-1", "gone", 100, 20, null, TimeSpan.FromMinutes(10)));

        // The hold released behind the cast's back (as the ledger's expiry does), the money refunded, the account closed.
        await account.Execute(new VoidHold("ledger-released", "cast:gone-1:hold"));
        await account.Execute(new Refund("refund-all", 120));
        await account.Execute(new CloseAccount("close"));

        var failed = await cast.Fail(new CastFailure("gone-1-fail", "worker lost"));
        Assert.Equal((CastStatus.Failed, 0L, 120L), (failed.Status, failed.Charged, failed.Refunded));
        Assert.Equal(CastRecordStage.Ended, (await silo.Service<ICastStore>().ReadAsync("gone-1", CancellationToken.None))!.Stage);
        Assert.Equal(failed, await cast.Fail(new CastFailure("gone-1-fail", "worker lost")));
    }

    [Fact]
    public async Task A_cast_past_its_timeout_while_the_silo_was_down_is_voided_by_the_sweeper()
    {
        var options = _storage.Options;
        await using (var silo = await StartAsync(options))
        {
            await silo.Account("late").Execute(new OpenAccount());
            await silo.Account("late").Execute(new Deposit("fund", 500));
            await silo.Grains.GetGrain<ICastGrain>("late-1").Start(new CastStart("late-1", "late", 100, 20, null, TimeSpan.FromSeconds(1)));
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await using (var silo = await StartAsync(options, sweepPeriod: TimeSpan.FromMilliseconds(200)))
        {
            var cast = silo.Grains.GetGrain<ICastGrain>("late-1");
            await Eventually.TrueAsync(async () => (await cast.Get())!.Status == CastStatus.TimedOut, "the sweeper timed the cast out");
            Assert.Equal((500L, 0L), ((await silo.Account("late").GetBalance()).Available, (await silo.Account("late").GetBalance()).Held));
            var last = (await silo.Store.ReadJournalAsync("late", 0, 100, CancellationToken.None))[^1];
            Assert.Equal(("cast:late-1:void", JournalEntryKind.Void), (last.OperationId, last.Kind));
        }
    }

    [Fact]
    public async Task A_cast_the_sweeper_keeps_failing_on_is_postponed_behind_the_others_instead_of_starving_them()
    {
        var options = _storage.Options;
        await using var silo = await StartAsync(options, sweepPeriod: TimeSpan.FromMilliseconds(200), configure: o =>
        {
            o.SweepBatch = 1; // one cast a sweep: the failing one, were it always first
            o.SweepRetryDelay = TimeSpan.FromHours(1);
        });
        await silo.Account("starve").Execute(new OpenAccount());
        await silo.Account("starve").Execute(new Deposit("fund", 500));

        // A record its grain cannot read, due before anything else: asking its grain fails every time.
        var store = silo.Service<ICastStore>();
        var unreadable = new CastRecord("starve-bad", "starve", CastRecordStage.Running, DateTimeOffset.UtcNow.AddHours(-1), "not a cast", DateTimeOffset.UtcNow);
        Assert.True(await store.SaveAsync(unreadable, CancellationToken.None));
        await silo.Grains.GetGrain<ICastGrain>("starve-1").Start(new CastStart("starve-1", "starve", 100, 20, null, TimeSpan.FromMilliseconds(300)));

        var cast = silo.Grains.GetGrain<ICastGrain>("starve-1");
        await Eventually.TrueAsync(async () => (await cast.Get())!.Status == CastStatus.TimedOut, "the sweeper reached the cast behind the failing one");
        Assert.Equal(500, (await silo.Account("starve").GetBalance()).Available);

        var postponed = await store.ReadAsync("starve-bad", CancellationToken.None);
        Assert.Equal((CastRecordStage.Running, "not a cast"), (postponed!.Stage, postponed.Payload));
        Assert.True(postponed.DueAt > DateTimeOffset.UtcNow.AddMinutes(50), $"due {postponed.DueAt}");
    }

    [Fact]
    public async Task A_completion_retried_after_the_markup_changed_answers_what_it_charged()
    {
        var options = _storage.Options;
        CastView first;
        await using (var silo = await StartAsync(options))
        {
            await silo.Account("mark").Execute(new OpenAccount());
            await silo.Account("mark").Execute(new Deposit("fund", 1_000));
            var cast = silo.Grains.GetGrain<ICastGrain>("mark-1");
            await cast.Start(new CastStart("mark-1", "mark", 100, 20, "llm", TimeSpan.FromMinutes(10)));
            first = await cast.Complete(new CastCompletion("mark-1-done", null, 36.5m, 2.0m));
            Assert.Equal((CastStatus.Completed, 73L, 47L), (first.Status, first.Charged, first.Refunded));
        }

        // The operator raised the markup and restarted; the client's retry of the same completion is the same request.
        await using (var silo = await StartAsync(options))
        {
            var retried = await silo.Grains.GetGrain<ICastGrain>("mark-1").Complete(new CastCompletion("mark-1-done", null, 36.5m, 3.0m));
            Assert.Equal(first, retried);
            var conflict = await Assert.ThrowsAsync<LedgerException>(() =>
                silo.Grains.GetGrain<ICastGrain>("mark-1").Complete(new CastCompletion("mark-1-done", null, 40m, 3.0m)));
            Assert.Equal((LedgerErrorCodes.IdempotencyConflict, "providerCost"), (conflict.Code, conflict.Field));
            Assert.Equal(927, (await silo.Account("mark").GetBalance()).Available);
        }
    }

    [Fact]
    public async Task A_start_whose_sweeper_cannot_be_woken_still_answers_its_durable_hold_and_its_retry_wakes_the_sweeper()
    {
        FailingReminderTable? reminders = null;
        await using var silo = await LedgerSilo.StartAsync(_storage.Options, services: s =>
        {
            s.AddCasts(configure: o => o.SweepPeriod = TimeSpan.FromMilliseconds(200));
            s.AddSingleton<IReminderTable>(sp => reminders = new FailingReminderTable(new SqlReminderTable(sp.GetRequiredService<GridDatabase>())));
        });
        await silo.Account("wake").Execute(new OpenAccount());
        await silo.Account("wake").Execute(new Deposit("fund", 500));
        var start = new CastStart("wake-1", "wake", 100, 20, null, TimeSpan.FromMilliseconds(400));
        var cast = silo.Grains.GetGrain<ICastGrain>("wake-1");

        // The hold is durable before the sweeper is woken: a failed wake-up must not answer the start as failed.
        reminders!.FailNextOf(CastSweeperGrain.KeepAliveReminder);
        var started = await cast.Start(start);
        Assert.Equal((CastStatus.Running, 120L), (started.Status, started.Held));
        Assert.Equal(380, (await silo.Account("wake").GetBalance()).Available);
        Assert.DoesNotContain(await reminders.ReadAllAsync(CancellationToken.None), r => r.Name == CastSweeperGrain.KeepAliveReminder);

        // The client's retry of the start answers the same and wakes the sweeper, which then times the cast out.
        Assert.Equal(started, await cast.Start(start));
        Assert.Contains(await reminders.ReadAllAsync(CancellationToken.None), r => r.Name == CastSweeperGrain.KeepAliveReminder);
        await Eventually.TrueAsync(async () => (await cast.Get())!.Status == CastStatus.TimedOut, "the sweeper timed the cast out");
        Assert.Equal(500, (await silo.Account("wake").GetBalance()).Available);
    }

    /// <summary>The first step of a completion above the hold, as the cast grain sends it: the whole hold captured, with the ending's record.</summary>
    private static async Task CaptureAsEndingAsync(LedgerSilo silo, string account, string castId, string operationId, long price)
    {
        var stored = await silo.Service<ICastStore>().ReadAsync(castId, CancellationToken.None);
        var ending = JsonSerializer.Deserialize<CastState>(stored!.Payload, Json)!;
        ending.EndOperationId = operationId;
        ending.EndRequest = $"complete|{price}|";
        ending.Status = CastStatus.Completed;
        ending.Price = price;
        ending.Charged = ending.Held;
        ending.Ending = true;
        var record = stored with { Stage = CastRecordStage.Ending, DueAt = DateTimeOffset.UtcNow, Payload = JsonSerializer.Serialize(ending, Json) };
        await silo.Account(account).ExecuteSettling(new CaptureHold($"cast:{castId}:capture", $"cast:{castId}:hold", ending.Held), new SettlementRecords(record, null));
    }

    private static Task<LedgerSilo> StartAsync(StorageOptions options, TimeSpan? sweepPeriod = null, Action<CastOptions>? configure = null) =>
        LedgerSilo.StartAsync(options, services: s => s.AddCasts(configure: o =>
        {
            if (sweepPeriod is { } period)
            {
                o.SweepPeriod = period;
            }

            configure?.Invoke(o);
        }));
}

public sealed class SqliteCastRecoveryTests() : CastRecoveryTests(StorageOptions.Sqlite);

public sealed class PostgresCastRecoveryTests() : CastRecoveryTests(StorageOptions.Postgres);
