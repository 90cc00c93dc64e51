using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Storage;
using Grid.TestKit;
using Xunit;

namespace Grid.Grains.Tests;

/// <summary>
/// A command whose ids are looked up in the journal waits while other commands run; what the ledger knew
/// when it checked the command must still hold when the command executes. PostgreSQL only: the test holds
/// the journal look-ups back with a table lock, which SQLite's WAL readers do not wait for.
/// </summary>
public sealed class IdempotencyAcrossLookupsTests : IAsyncLifetime
{
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(StorageOptions.Postgres);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_retried_capture_is_replayed_even_if_its_id_leaves_the_window_while_its_hold_is_looked_up()
    {
        await using var silo = await LedgerSilo.StartAsync(_storage.Options, ledger: o => o.IdempotencyWindow = 16);
        var account = silo.Account("race");
        await account.Execute(new OpenAccount());
        await account.Execute(new Deposit("dep", 1_000));
        await account.Execute(new PlaceHold("h", 100));
        var capture = await account.Execute(new CaptureHold("c", "h", 40));
        for (var i = 0; i < 15; i++)
        {
            await account.Execute(new Debit($"d{i}", 1));
        }

        // The window now holds entries 4..19: "c" is its oldest, "h" has left it. With the journal locked, a
        // new debit waits in the first look-up round; the retried capture needs "h" and waits for the next.
        await using var journalLock = await JournalTableLock.TakeAsync(_storage.Options.ConnectionString!);

        var debit = account.Execute(new Debit("new", 1));
        await Eventually.TrueAsync(journalLock.SomethingWaitsAsync, "the debit's look-up waits for the lock");
        var retry = account.Execute(new CaptureHold("c", "h", 40));
        await Task.Delay(200); // the retry checks its ids and queues for the next round

        // Released, the debit is answered first and its entry pushes "c" out of the window; then the retry's round returns.
        await journalLock.ReleaseAsync();
        Assert.False((await debit).Replayed);
        var replay = await retry;
        Assert.True(replay.Replayed);
        Assert.Equal(capture.Entry, replay.Entry);
        Assert.Equal(new Grid.Ledger.Accounts.Balance(944, 0, 20), await account.GetBalance());
    }
}
