using System.Diagnostics;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Journal;
using Grid.Storage;
using Xunit;
using Xunit.Abstractions;

namespace Grid.Grains.Tests;

/// <summary>
/// Many concurrent callers against the real account grain over a real store. Afterwards the stored journal,
/// replayed by the test one entry at a time, must explain the stored state exactly, never break an
/// invariant, hold every operation id once, and contain every acknowledged answer unchanged.
/// </summary>
public abstract class LedgerConcurrencyTests(string provider, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Callers = 64;
    private const long OverdraftLimit = 1_000;

    private LedgerStorage _storage = null!;

    /// <summary>Operations each of the 64 callers sends, by number of accounts.</summary>
    protected abstract int OperationsPerCaller(int accountCount);

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(provider);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Sixty_four_callers_on_one_account_leave_a_journal_whose_replay_is_the_stored_state() =>
        await RunAsync(accountCount: 1);

    [Fact]
    public async Task Sixty_four_callers_over_a_thousand_accounts_leave_journals_whose_replays_are_the_stored_states() =>
        await RunAsync(accountCount: 1_000);

    private async Task RunAsync(int accountCount)
    {
        var clock = Stopwatch.StartNew();
        await using var silo = await LedgerSilo.StartAsync(_storage.Options);
        var accounts = Enumerable.Range(0, accountCount).Select(i => $"acct-{i}").ToArray();
        await Task.WhenAll(accounts.Select(a => silo.Account(a).Execute(new OpenAccount(OverdraftLimit: OverdraftLimit))));

        var acks = new Acknowledgements();
        var callers = Enumerable.Range(0, Callers).Select(c => new LedgerCaller(silo, accounts, c, acks)).ToArray();
        var operations = OperationsPerCaller(accountCount);
        await Task.WhenAll(callers.Select(c => Task.Run(() => c.RunAsync(operations))));
        var sent = clock.Elapsed;

        Assert.True(acks.Surprises.IsEmpty, $"{acks.Surprises.Count} unexpected answers, first ones:\n{string.Join("\n", acks.Surprises.Take(20))}");
        Assert.True(acks.Retries == 0, $"{acks.Retries} commands were answered unavailable on a healthy store");

        var acknowledged = acks.Entries.ToLookup(a => a.Key.Account, a => a.Value);
        long entries = 0;
        foreach (var account in accounts)
        {
            entries += await VerifyAsync(silo, account, acknowledged[account].ToList());
        }

        output.WriteLine(
            $"{provider}: {Callers} x {operations} operations on {accountCount} account(s) sent in {sent.TotalSeconds:F1} s, " +
            $"verified in {(clock.Elapsed - sent).TotalSeconds:F1} s; {entries} journal entries, {acks.Entries.Count} acknowledged ids, " +
            $"{acks.Replays} replays, {acks.Refusals} refusals");
        Assert.True(acks.Replays > 0 && acks.Refusals > 0, "the mix exercised replays and refusals");
    }

    /// <summary>Replays one account's stored journal and checks it against the stored snapshot, the grain and the acknowledgements.</summary>
    private static async Task<long> VerifyAsync(LedgerSilo silo, string account, List<JournalEntry> acknowledged)
    {
        var balance = await silo.Account(account).GetBalance();
        var snapshot = await silo.Store.LoadAsync(account, CancellationToken.None); // read first: the journal read next is at least as new
        Assert.NotNull(snapshot);
        var journal = new List<JournalEntry>();
        for (long after = 0; ;)
        {
            var page = await silo.Store.ReadJournalAsync(account, after, 1_000, CancellationToken.None);
            if (page.Count == 0)
            {
                break;
            }

            journal.AddRange(page);
            after = page[^1].Sequence;
        }

        var replay = new JournalReplay(account, OverdraftLimit);
        foreach (var entry in journal.TakeWhile(e => e.Sequence <= snapshot.Sequence))
        {
            replay.Apply(entry);
        }

        replay.AssertMatches(snapshot);
        foreach (var entry in journal.Skip((int)snapshot.Sequence))
        {
            replay.Apply(entry); // an expiry written meanwhile by a reminder; it must fit as well
        }

        // The grain's balance is the state after some entry of this journal.
        Assert.InRange(balance.Sequence, 1, journal.Count);
        var atBalance = journal[(int)balance.Sequence - 1];
        Assert.Equal(balance, atBalance.Balance);

        // Every acknowledged answer is in the journal, unchanged; every caller operation in the journal was acknowledged.
        var byOperation = journal.ToDictionary(e => e.OperationId, StringComparer.Ordinal);
        foreach (var entry in acknowledged)
        {
            Assert.True(byOperation.TryGetValue(entry.OperationId, out var stored), $"{account}: acknowledged {entry.OperationId} (#{entry.Sequence}) is not in the journal");
            Assert.Equal(entry, stored);
        }

        var written = journal.Select(e => e.OperationId).Where(id => !id.StartsWith('~')).Order(StringComparer.Ordinal);
        Assert.Equal(acknowledged.Select(e => e.OperationId).Order(StringComparer.Ordinal), written);
        return journal.Count;
    }
}

/// <summary>
/// SQLite runs fewer operations. On the 2-core machine these tests were written on, 64 x 2,000 took about
/// 400 s on one account (past the first 1,000 entries every new id is looked up in the journal), and over
/// 1,000 accounts 64 x 600 already took about 170 s: the expiring holds' reminder writes, each its own SQLite
/// write transaction, queue behind the journal writer for the file lock (the same mix without expiring holds
/// ran in 8.5 s). 64 x 600 on one account (38,400 operations) and 64 x 100 over 1,000 accounts (6,400) keep
/// each test at 20 to 45 s there.
/// </summary>
[Collection(LedgerLoad.Collection)]
public sealed class SqliteLedgerConcurrencyTests(ITestOutputHelper output) : LedgerConcurrencyTests(StorageOptions.Sqlite, output)
{
    protected override int OperationsPerCaller(int accountCount) => accountCount == 1 ? 600 : 100;
}

[Collection(LedgerLoad.Collection)]
public sealed class PostgresLedgerConcurrencyTests(ITestOutputHelper output) : LedgerConcurrencyTests(StorageOptions.Postgres, output)
{
    protected override int OperationsPerCaller(int accountCount) => 2_000;
}
