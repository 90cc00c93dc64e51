using Grid.Contracts.Casts;
using Grid.Grains.Hosting;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.Runtime.Hosting;
using Grid.Storage;
using Grid.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Grains.Tests.Casts;

/// <summary>
/// A cast step whose answer never came (the account's append held back past the call's timeout) while another
/// request for the same cast arrives: the cast's record rides with that append, so it cannot be read yet. Neither a
/// second hold nor a second ending's answer may rest on that gap. PostgreSQL only: a table lock holds the append back.
/// </summary>
public sealed class CastRaceTests : IAsyncLifetime
{
    // Long enough that a step answered half a second after the lock goes never meets it, even on a loaded machine.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(6); // the retry after a timeout has its own; room for a loaded machine
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(StorageOptions.Postgres);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_start_whose_hold_may_still_land_keeps_its_id_from_a_start_on_another_account()
    {
        await using var silo = await StartAsync();
        await FundAsync(silo, "race-a", "race-b");
        var cast = silo.Grains.GetGrain<ICastGrain>("race-1");
        var first = new CastStart("race-1", "race-a", 100, 20, "render", TimeSpan.FromMinutes(10));

        await using (var journalLock = await JournalTableLock.TakeAsync(_storage.Options.ConnectionString!))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => cast.Start(first)); // its hold waits for the lock past the timeout
            var other = cast.Start(first with { AccountId = "race-b" });
            await Task.Delay(TimeSpan.FromMilliseconds(500)); // the other start's turn runs: its read finds no record yet
            await journalLock.ReleaseAsync();

            // The first start is finished first (its hold was on its way): the id is its, and the other one is refused.
            var refused = await Assert.ThrowsAsync<LedgerException>(() => other);
            Assert.Equal(LedgerErrorCodes.IdempotencyConflict, refused.Code);
        }

        Assert.Equal(120, (await silo.Account("race-a").GetBalance()).Held);
        Assert.Equal("race-a", (await cast.Get())?.AccountId); // read from the store, not an absence kept from before it landed
        var view = await cast.Start(first); // its retry answers the cast it started
        Assert.Equal((CastStatus.Running, "race-a", 120L), (view.Status, view.AccountId, view.Held));
        Assert.Equal(new Grid.Ledger.Accounts.Balance(1_000, 0, 2), await silo.Account("race-b").GetBalance()); // nothing held for nobody
    }

    [Fact]
    public async Task A_start_refused_for_good_after_its_answer_was_lost_leaves_the_id_to_another_start()
    {
        await using var silo = await StartAsync();
        await FundAsync(silo, "race-d", "race-e");
        var cast = silo.Grains.GetGrain<ICastGrain>("race-3");
        var tooBig = new CastStart("race-3", "race-d", 5_000, 20, "render", TimeSpan.FromMinutes(10)); // more than race-d has

        await using (var journalLock = await JournalTableLock.TakeAsync(_storage.Options.ConnectionString!))
        {
            // A refusal waits until the account's earlier entries are durable: behind a debit held back by the lock, the
            // start's answer never comes.
            var debit = silo.Account("race-d").Execute(new Debit("spend", 10));
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            var lost = await Record.ExceptionAsync(() => cast.Start(tooBig));
            Assert.True(lost is not null and not LedgerException { IsRetryable: false }, $"the start was answered: {lost}");
            await Task.Delay(TimeSpan.FromSeconds(1)); // the cast's own call to the account times out too: its outcome is unknown
            await journalLock.ReleaseAsync();
            await Record.ExceptionAsync(() => debit); // its caller gave up too; the debit itself lands
        }

        await Eventually.TrueAsync(async () => (await silo.Account("race-d").GetBalance()).Available == 990, "the debit landed");

        // Finished first, the earlier start is refused for good (insufficient funds): it holds nothing, so the id is free.
        var view = await cast.Start(tooBig with { AccountId = "race-e", Quote = 100 });
        Assert.Equal((CastStatus.Running, "race-e", 120L), (view.Status, view.AccountId, view.Held));
        Assert.Equal(0, (await silo.Account("race-d").GetBalance()).Held);
    }

    [Fact]
    public async Task An_ending_that_finds_its_step_done_by_an_unseen_ending_is_refused_as_a_second_ending_and_so_is_its_retry()
    {
        await using var silo = await StartAsync();
        await FundAsync(silo, "race-c");
        var cast = silo.Grains.GetGrain<ICastGrain>("race-2");
        await cast.Start(new CastStart("race-2", "race-c", 100, 20, "render", TimeSpan.FromMinutes(10)));
        var second = new CastFailure("race-2-fail-b", "gave up");

        await using (var journalLock = await JournalTableLock.TakeAsync(_storage.Options.ConnectionString!))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => cast.Fail(new CastFailure("race-2-fail-a", "crashed"))); // its void waits
            // Another failure voids the hold under the same ledger id: its step is a replay of the first one's.
            var other = cast.Fail(second);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await journalLock.ReleaseAsync();

            Assert.Equal(LedgerErrorCodes.InvalidState, (await Assert.ThrowsAsync<LedgerException>(() => other)).Code);
        }

        Assert.Equal(LedgerErrorCodes.InvalidState, (await Assert.ThrowsAsync<LedgerException>(() => cast.Fail(second))).Code);
        var view = await cast.Get();
        Assert.Equal((CastStatus.Failed, "crashed"), (view!.Status, view.Reason));
        Assert.Equal(new Grid.Ledger.Accounts.Balance(1_000, 0, 4), await silo.Account("race-c").GetBalance());
    }

    [Theory]
    [InlineData(150, 300)] // beyond the hold both times: capture and shortfall
    [InlineData(100, 110)] // within the hold both times: one capture, of another amount than the retry's
    [InlineData(120, 300)] // the whole hold the first time (one capture, ended), beyond it the second: the same capture
    public async Task A_completion_retried_after_the_markup_changed_charges_what_its_first_attempt_fixed(long firstPrice, long retryPrice)
    {
        await using var silo = await StartAsync();
        await FundAsync(silo, $"markup-{firstPrice}");
        var cast = silo.Grains.GetGrain<ICastGrain>($"markup-{firstPrice}");
        await cast.Start(new CastStart($"markup-{firstPrice}", $"markup-{firstPrice}", 100, 20, "render", TimeSpan.FromMinutes(10))); // 120 held
        var completion = new CastCompletion("done", Price: null, ProviderCost: 100m, Markup: firstPrice / 100m);

        await using (var journalLock = await JournalTableLock.TakeAsync(_storage.Options.ConnectionString!))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => cast.Complete(completion)); // its capture waits past the timeout
            // The operator changes the markup; the caller sends the same completion again, which reads the cast before the
            // first attempt's record has landed.
            var retry = cast.Complete(completion with { Markup = retryPrice / 100m });
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await journalLock.ReleaseAsync();

            var answered = await retry;
            Assert.Equal((CastStatus.Completed, firstPrice), (answered.Status, answered.Charged));
        }

        var balance = await silo.Account($"markup-{firstPrice}").GetBalance();
        Assert.Equal((1_000 - firstPrice, 0L), (balance.Available, balance.Held));
        Assert.Equal(firstPrice, (await cast.Get())!.Charged);
    }

    private static async Task FundAsync(LedgerSilo silo, params string[] accounts)
    {
        foreach (var account in accounts)
        {
            await silo.Account(account).Execute(new OpenAccount());
            await silo.Account(account).Execute(new Deposit("fund", 1_000));
        }
    }

    private Task<LedgerSilo> StartAsync() =>
        LedgerSilo.StartAsync(_storage.Options, services: s =>
        {
            s.AddCasts();
            s.Configure<GrainRuntimeOptions>(o => o.ResponseTimeout = CallTimeout);
        });
}
