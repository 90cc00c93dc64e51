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
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(1);
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
            await Task.Delay(CallTimeout / 2); // the other start's turn runs: its read finds no record yet
            await journalLock.ReleaseAsync();

            var refused = await Assert.ThrowsAsync<LedgerException>(() => other);
            Assert.Equal(LedgerErrorCodes.IdempotencyConflict, refused.Code);
        }

        await Eventually.TrueAsync(async () => (await silo.Account("race-a").GetBalance()).Held == 120, "the first start's hold landed");
        var view = await cast.Start(first); // its retry answers the cast it started
        Assert.Equal((CastStatus.Running, "race-a", 120L), (view.Status, view.AccountId, view.Held));
        Assert.Equal(new Grid.Ledger.Accounts.Balance(1_000, 0, 2), await silo.Account("race-b").GetBalance()); // nothing held for nobody
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
            await Task.Delay(CallTimeout / 2);
            await journalLock.ReleaseAsync();

            Assert.Equal(LedgerErrorCodes.InvalidState, (await Assert.ThrowsAsync<LedgerException>(() => other)).Code);
        }

        Assert.Equal(LedgerErrorCodes.InvalidState, (await Assert.ThrowsAsync<LedgerException>(() => cast.Fail(second))).Code);
        var view = await cast.Get();
        Assert.Equal((CastStatus.Failed, "crashed"), (view!.Status, view.Reason));
        Assert.Equal(new Grid.Ledger.Accounts.Balance(1_000, 0, 4), await silo.Account("race-c").GetBalance());
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
