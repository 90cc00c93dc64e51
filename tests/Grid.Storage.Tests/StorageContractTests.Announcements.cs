using Grid.Ledger.Persistence;
using Grid.Storage.Stores;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>Journal announcements (<see cref="StorageOptions.AnnounceJournal"/>): PostgreSQL notifies on commit; SQLite has none.</summary>
public abstract partial class StorageContractTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    // A resync a subscription made before the listener listened is sure to get; a drain that gave up early would let it wake a later wait.
    private static readonly TimeSpan ResyncWithin = TimeSpan.FromSeconds(30);

    /// <summary>Takes the resync the listener signals when it starts listening (it tells every subscription made by then).</summary>
    private static async Task Drain(JournalSubscription subscription) =>
        await subscription.WaitAsync(0, CancellationToken.None).WaitAsync(ResyncWithin).ContinueWith(static _ => { }, TaskScheduler.Default);

    [Fact]
    public async Task Appends_announce_each_account_s_last_sequence_on_commit_only_when_asked()
    {
        await using var announcing = CreateAnnouncingDatabase();
        Assert.False(Database.AnnouncesJournal);
        if (announcing.Provider == StorageProvider.Sqlite)
        {
            Assert.False(announcing.AnnouncesJournal); // no LISTEN/NOTIFY in SQLite: the flag does nothing there
            return;
        }

        Assert.True(announcing.AnnouncesJournal);
        await using var listener = new JournalListener(Options.ConnectionString!);
        using var a = listener.Subscribe("acct-a");
        using var b = listener.Subscribe("acct-b");
        await listener.Listening.WaitAsync(TimeSpan.FromSeconds(30)); // the resync, signalled before this completes, has reached both
        await Drain(a);
        await Drain(b);

        await new SqlLedgerStore(announcing).AppendAsync([Append("acct-a", 0, 2), Append("acct-b", 0, 3)], Ct);
        await a.WaitAsync(1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await b.WaitAsync(2, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<TimeoutException>(() => a.WaitAsync(2, CancellationToken.None).WaitAsync(Quiet)); // 2 was the last

        await Ledger.AppendAsync([Append("acct-a", 2, 1)], Ct); // a store that does not announce
        await Assert.ThrowsAsync<TimeoutException>(() => a.WaitAsync(2, CancellationToken.None).WaitAsync(Quiet));

        // A fenced append rolls back, and its announcement with it.
        await Assert.ThrowsAsync<LedgerConflictException>(() => new SqlLedgerStore(announcing).AppendAsync([Append("acct-a", 2, 1)], Ct));
        await Assert.ThrowsAsync<TimeoutException>(() => a.WaitAsync(2, CancellationToken.None).WaitAsync(Quiet));

        await new SqlLedgerStore(announcing).AppendAsync([Append("acct-a", 3, 2)], Ct);
        await a.WaitAsync(4, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
