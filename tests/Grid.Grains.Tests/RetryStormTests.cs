using Grid.Grains.Tests.Support;
using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Journal;
using Grid.Ledger.Persistence;
using Grid.Storage;
using Grid.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Grains.Tests;

/// <summary>
/// Many more concurrent retries of old operation ids than the idempotency window holds (a client replaying after an
/// outage): each is answered with its original entry, in a few batched journal look-ups, not one round per retry.
/// PostgreSQL: the test holds the journal back with a table lock while the retries arrive, which SQLite's readers
/// do not wait for.
/// </summary>
public sealed class RetryStormTests : IAsyncLifetime
{
    private const int Window = 16;
    private const int Retries = 200;

    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(StorageOptions.Postgres);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Retries_of_old_ids_far_past_the_window_replay_in_a_few_lookup_rounds()
    {
        CountingLedgerStore? counting = null;
        await using var silo = await LedgerSilo.StartAsync(_storage.Options, ledger: o => o.IdempotencyWindow = Window, services: s =>
            s.AddSingleton<ILedgerStore>(sp => counting = new CountingLedgerStore(new SqlLedgerStore(sp.GetRequiredService<GridDatabase>()))));
        var account = silo.Account("storm");
        await account.Execute(new OpenAccount());
        for (var i = 0; i < Retries + Window; i++)
        {
            await account.Execute(new Deposit($"dep-{i}", 1));
        }

        var before = await account.GetBalance();
        var roundsBefore = counting!.Lookups;

        // The journal held back while the retries arrive, so they all wait on the look-ups however busy the machine is.
        Task<Grid.Contracts.Accounts.LedgerResult>[] retries;
        await using (var journalLock = await JournalTableLock.TakeAsync(_storage.Options.ConnectionString!))
        {
            retries = Enumerable.Range(0, Retries).Select(i => account.Execute(new Deposit($"dep-{i}", 1))).ToArray();
            await Grid.TestKit.Eventually.TrueAsync(journalLock.SomethingWaitsAsync, "the first look-up waits for the lock");
            await Task.Delay(500); // the rest check their ids and queue for the next round
            await journalLock.ReleaseAsync();
        }

        var replies = await Task.WhenAll(retries);

        Assert.All(replies, r => Assert.True(r.Replayed));
        Assert.Equal(Enumerable.Range(0, Retries).Select(i => $"dep-{i}"), replies.Select(r => r.Entry.OperationId));
        Assert.Equal(before, await account.GetBalance());
        // Batched: the retries share a handful of rounds. One released recall per retry made it a round per retry.
        var rounds = counting.Lookups - roundsBefore;
        Assert.True(rounds <= 5, $"{rounds} journal look-up rounds for {Retries} retries");
    }

    /// <summary>The real ledger store, counting its operation look-ups.</summary>
    private sealed class CountingLedgerStore(ILedgerStore inner) : ILedgerStore
    {
        private int _lookups;

        public int Lookups => Volatile.Read(ref _lookups);

        public int PreferredConcurrentAppends => inner.PreferredConcurrentAppends;

        public Task<AccountSnapshot?> LoadAsync(string accountId, CancellationToken cancellationToken) => inner.LoadAsync(accountId, cancellationToken);

        public Task AppendAsync(IReadOnlyList<AccountAppend> appends, CancellationToken cancellationToken) => inner.AppendAsync(appends, cancellationToken);

        public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(string accountId, long afterSequence, int limit, CancellationToken cancellationToken) =>
            inner.ReadJournalAsync(accountId, afterSequence, limit, cancellationToken);

        public Task<IReadOnlyList<JournalEntry>> ReadLatestAsync(string accountId, int count, CancellationToken cancellationToken) =>
            inner.ReadLatestAsync(accountId, count, cancellationToken);

        public Task<IReadOnlyList<JournalEntry>> FindOperationsAsync(string accountId, IReadOnlyCollection<string> operationIds, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _lookups);
            return inner.FindOperationsAsync(accountId, operationIds, cancellationToken);
        }
    }
}
