using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Storage;
using Xunit;

namespace Grid.Grains.Tests;

/// <summary>
/// Refusals such as <c>hold_closed</c> and <c>account_closed</c> are taken as final by callers (a cast records how it
/// ended by one, a payout goes elsewhere on the other), so a refusal is answered only once the entries it was decided
/// from are durable. PostgreSQL only: the test holds the deciding entry's append back with a table lock.
/// </summary>
public sealed class HoldClosedDurabilityTests : IAsyncLifetime
{
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(StorageOptions.Postgres);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_void_refused_because_a_capture_closed_the_hold_waits_until_that_capture_is_durable()
    {
        await using var silo = await LedgerSilo.StartAsync(_storage.Options);
        var account = silo.Account("closing");
        await account.Execute(new OpenAccount());
        await account.Execute(new Deposit("dep", 1_000));
        await account.Execute(new PlaceHold("h", 300));

        await using var journalLock = await JournalTableLock.TakeAsync(_storage.Options.ConnectionString!);

        var capture = account.Execute(new CaptureHold("c", "h", 200));
        await Task.Delay(200); // applied in memory, its append waiting for the lock
        var @void = account.Execute(new VoidHold("v", "h"));
        await Task.Delay(500);
        Assert.False(@void.IsCompleted, "hold_closed was answered while the capture that closed the hold was not durable");

        await journalLock.ReleaseAsync();
        Assert.Equal(200, (await capture).Entry.Amount);
        Assert.Equal(LedgerErrorCodes.HoldClosed, (await Assert.ThrowsAsync<LedgerException>(() => @void)).Code);
        Assert.Equal(new Grid.Ledger.Accounts.Balance(800, 0, 4), await account.GetBalance());
    }

    [Fact]
    public async Task A_deposit_refused_because_the_account_closed_waits_until_the_close_is_durable()
    {
        await using var silo = await LedgerSilo.StartAsync(_storage.Options);
        var account = silo.Account("closing-account");
        await account.Execute(new OpenAccount());

        await using var journalLock = await JournalTableLock.TakeAsync(_storage.Options.ConnectionString!);

        var close = account.Execute(new CloseAccount("close"));
        await Task.Delay(200); // applied in memory, its append waiting for the lock
        var deposit = account.Execute(new Deposit("dep", 100));
        await Task.Delay(500);
        Assert.False(deposit.IsCompleted, "account_closed was answered while the close was not durable");

        await journalLock.ReleaseAsync();
        await close;
        Assert.Equal(LedgerErrorCodes.AccountClosed, (await Assert.ThrowsAsync<LedgerException>(() => deposit)).Code);
    }
}
