using Grid.Ledger.Accounts;
using Grid.Ledger.Holds;
using Grid.Ledger.Journal;
using Grid.Ledger.Persistence;
using Grid.Storage.Data;
using Grid.Storage.Migrations;
using Grid.Storage.Stores;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>
/// The ledger store's contract (<see cref="ILedgerStore"/>), on every provider. Besides what the store
/// reads back, the tests look at the rows themselves, so "nothing written" means nothing in the tables.
/// </summary>
public abstract partial class StorageContractTests
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);

    protected SqlLedgerStore Ledger => new(Database);

    [Fact]
    public async Task Ledger_migration_is_version_2_and_creates_the_tables()
    {
        var runner = new MigrationRunner(Database, TimeProvider.System);

        Assert.Contains(runner.Migrations, m => m is { Version: 2, Name: "ledger" });
        Assert.Contains(await runner.GetAppliedAsync(Ct), m => m is { Version: 2, Name: "ledger" });
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM accounts"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM journal"));
    }

    [Fact]
    public async Task Ledger_load_of_an_unknown_account_is_null_and_its_journal_is_empty()
    {
        Assert.Null(await Ledger.LoadAsync("nobody", Ct));
        Assert.Empty(await Ledger.ReadJournalAsync("nobody", 0, 100, Ct));
        Assert.Empty(await Ledger.ReadLatestAsync("nobody", 100, Ct));
        Assert.Empty(await Ledger.FindOperationsAsync("nobody", ["op-1"], Ct));
    }

    [Fact]
    public async Task Ledger_append_round_trips_every_field_of_snapshot_and_entries()
    {
        var expiry = new DateTimeOffset(2026, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);
        var snapshot = new AccountSnapshot(
            "acct-full",
            "Zoë ✓ 日本",
            AccountStatus.Frozen,
            true,
            new AccountSettings(2_500, 7, 10_000),
            -1_234,
            800,
            3,
            new LedgerTotals(10_000, 1, 2, 3, 4, -5),
            [
                new Hold("hold-1", 500, 0, HoldStatus.Open, expiry, "cast-9", new DateTimeOffset(2026, 5, 6, 6, 0, 0, 1, TimeSpan.FromHours(2))),
                new Hold("hold-2", 300, 0, HoldStatus.Open, null, null, Epoch),
            ],
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.FromHours(-5)),
            Epoch.AddMilliseconds(999));
        JournalEntry[] entries =
        [
            new(1, JournalEntryKind.Deposit, 10_000, 0, 10_000, 0, "op-dep", null, null, null, null, "pi_123", """{"source":"stripe","n":1}""", """{"amount":10000}""", Epoch),
            new(2, JournalEntryKind.Hold, 500, 0, 9_500, 500, "op-hold", "hold-1", 500, 0, expiry, "cast-9", null, """{"hold":"hold-1"}""", Epoch.AddMilliseconds(1)),
            new(3, JournalEntryKind.Capture, 200, 300, -1_234, 800, "op-cap", "hold-1", 500, 200, null, null, null, "{}", Epoch.AddMilliseconds(2)),
        ];

        await Ledger.AppendAsync([new AccountAppend(0, snapshot, entries)], Ct);

        AssertSnapshot(snapshot, await Ledger.LoadAsync("acct-full", Ct));
        var read = await Ledger.ReadJournalAsync("acct-full", 0, 100, Ct);
        Assert.Equal(entries, read);
        Assert.All(read, e => Assert.Equal(TimeSpan.Zero, e.At.Offset));
        Assert.Equal(TimeSpan.Zero, read[1].ExpiresAt?.Offset);
        Assert.Equal(entries.AsEnumerable().Reverse(), await Ledger.ReadLatestAsync("acct-full", 10, Ct));
        Assert.Equal(entries, await Ledger.FindOperationsAsync("acct-full", ["op-cap", "op-dep", "op-hold"], Ct));

        // The plain columns operators query, and the stored forms of times and kinds.
        Assert.Equal(3, await CountAsync("SELECT sequence FROM accounts WHERE account_id = 'acct-full'"));
        Assert.Equal(-1_234, await CountAsync("SELECT available FROM accounts WHERE account_id = 'acct-full'"));
        Assert.Equal(800, await CountAsync("SELECT held FROM accounts WHERE account_id = 'acct-full'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM accounts WHERE account_id = 'acct-full' AND status = 'frozen'"));
        Assert.Equal(Epoch.ToUnixTimeMilliseconds() + 999, await CountAsync("SELECT updated_at FROM accounts WHERE account_id = 'acct-full'"));
        Assert.Equal(Epoch.ToUnixTimeMilliseconds() + 1, await CountAsync("SELECT at FROM journal WHERE account_id = 'acct-full' AND sequence = 2"));
        Assert.Equal(expiry.ToUnixTimeMilliseconds(), await CountAsync("SELECT expires_at FROM journal WHERE account_id = 'acct-full' AND sequence = 2"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM journal WHERE account_id = 'acct-full' AND sequence = 3 AND kind = 'capture' AND released = 300"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM journal WHERE hold_id IS NULL AND hold_amount IS NULL AND metadata IS NOT NULL"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM journal WHERE hold_id = 'hold-1' AND hold_amount = 500"));
    }

    [Fact]
    public async Task Ledger_expected_sequence_0_inserts_the_account_and_later_appends_follow_on()
    {
        await Ledger.AppendAsync([Append("acct-new", 0, 2)], Ct);

        Assert.Equal(2, (await Ledger.LoadAsync("acct-new", Ct))?.Sequence);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM accounts"));

        await Ledger.AppendAsync([Append("acct-new", 2, 3)], Ct);
        await Ledger.AppendAsync([Append("acct-new", 5, 1)], Ct);

        AssertSnapshot(Snapshot("acct-new", 6), await Ledger.LoadAsync("acct-new", Ct));
        Assert.Equal(Enumerable.Range(1, 6).Select(s => Entry(s)), await Ledger.ReadJournalAsync("acct-new", 0, 100, Ct));
        Assert.Equal(6, await CountAsync("SELECT sequence FROM accounts WHERE account_id = 'acct-new'"));
    }

    [Fact]
    public async Task Ledger_expected_sequence_0_for_an_existing_account_conflicts_and_writes_nothing()
    {
        await Ledger.AppendAsync([Append("acct-1", 0, 2)], Ct);
        var before = await StateAsync("acct-1");

        var conflict = await Assert.ThrowsAsync<LedgerConflictException>(() =>
            Ledger.AppendAsync([Append("acct-1", 0, 1, s => Entry(s, $"other-{s}"))], Ct));

        Assert.Equal(("acct-1", 0L), (conflict.AccountId, conflict.ExpectedSequence));
        Assert.Equal(before, await StateAsync("acct-1"));
    }

    [Fact]
    public async Task Ledger_stale_or_unknown_expected_sequence_conflicts_and_writes_nothing()
    {
        await Ledger.AppendAsync([Append("acct-1", 0, 2)], Ct);
        await Ledger.AppendAsync([Append("acct-1", 2, 2)], Ct);
        var before = await StateAsync("acct-1");

        // A writer that still thinks the account is at 2 (its rows would collide with 3 and 4)...
        var stale = await Assert.ThrowsAsync<LedgerConflictException>(() => Ledger.AppendAsync([Append("acct-1", 2, 3)], Ct));
        Assert.Equal(("acct-1", 2L), (stale.AccountId, stale.ExpectedSequence));

        // ...one from the future (its rows would not collide), and one for an account never opened.
        var ahead = await Assert.ThrowsAsync<LedgerConflictException>(() => Ledger.AppendAsync([Append("acct-1", 9, 1)], Ct));
        Assert.Equal(9, ahead.ExpectedSequence);
        var unknown = await Assert.ThrowsAsync<LedgerConflictException>(() => Ledger.AppendAsync([Append("acct-none", 1, 1)], Ct));
        Assert.Equal("acct-none", unknown.AccountId);

        Assert.Equal(before, await StateAsync("acct-1"));
        Assert.Equal(4, await CountAsync("SELECT COUNT(*) FROM journal"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM accounts"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Ledger_one_stale_append_in_a_batch_rolls_back_every_account_and_names_the_stale_one(int stalePosition)
    {
        foreach (var account in new[] { "acct-a", "acct-b", "acct-c", "acct-d" })
        {
            await Ledger.AppendAsync([Append(account, 0, 2)], Ct);
        }

        var before = await Task.WhenAll(new[] { "acct-a", "acct-b", "acct-c", "acct-d" }.Select(StateAsync));
        var accounts = new[] { "acct-a", "acct-b", "acct-c", "acct-d" };
        var batch = new List<AccountAppend>();
        for (var i = 0; i < accounts.Length; i++)
        {
            batch.Add(i == stalePosition ? Append(accounts[i], 1, 2) : Append(accounts[i], 2, 3));
        }

        batch.Insert(2, Append("acct-brand-new", 0, 4));

        var conflict = await Assert.ThrowsAsync<LedgerConflictException>(() => Ledger.AppendAsync(batch, Ct));

        Assert.Equal((accounts[stalePosition], 1L), (conflict.AccountId, conflict.ExpectedSequence));
        Assert.Equal(before, await Task.WhenAll(accounts.Select(StateAsync)));
        Assert.Null(await Ledger.LoadAsync("acct-brand-new", Ct));
        Assert.Equal(8, await CountAsync("SELECT COUNT(*) FROM journal"));
        Assert.Equal(4, await CountAsync("SELECT COUNT(*) FROM accounts"));
        Assert.Equal(4, await CountAsync("SELECT COUNT(*) FROM accounts WHERE sequence = 2"));
    }

    [Fact]
    public async Task Ledger_with_several_stale_appends_the_first_in_the_callers_order_is_named()
    {
        await Ledger.AppendAsync([Append("acct-z", 0, 1), Append("acct-a", 0, 1)], Ct);

        var conflict = await Assert.ThrowsAsync<LedgerConflictException>(() =>
            Ledger.AppendAsync([Append("acct-z", 0, 1), Append("acct-a", 0, 1)], Ct));

        Assert.Equal("acct-z", conflict.AccountId);
    }

    [Fact]
    public async Task Ledger_a_repeated_operation_id_conflicts_and_rolls_back_the_batch()
    {
        await Ledger.AppendAsync([Append("acct-1", 0, 2), Append("acct-2", 0, 1)], Ct);
        var before = (await StateAsync("acct-1"), await StateAsync("acct-2"));

        // op-1 is already in acct-1's journal (the fence itself passes: 2 is the stored sequence).
        var repeated = await Assert.ThrowsAsync<LedgerConflictException>(() =>
            Ledger.AppendAsync([Append("acct-2", 1, 1), Append("acct-1", 2, 1, s => Entry(s, "op-1"))], Ct));
        Assert.Equal(("acct-1", 2L), (repeated.AccountId, repeated.ExpectedSequence));

        // Twice in the same append.
        var twice = await Assert.ThrowsAsync<LedgerConflictException>(() =>
            Ledger.AppendAsync([Append("acct-1", 2, 2, _ => "op-twice")], Ct));
        Assert.Equal("acct-1", twice.AccountId);

        // Twice in a new account's first append: the account row is not created either.
        await Assert.ThrowsAsync<LedgerConflictException>(() => Ledger.AppendAsync([Append("acct-3", 0, 2, _ => "op-x")], Ct));

        Assert.Equal(before, (await StateAsync("acct-1"), await StateAsync("acct-2")));
        Assert.Null(await Ledger.LoadAsync("acct-3", Ct));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM journal"));

        // Operation ids are per account: op-x, refused above for acct-3, is a new operation on acct-2.
        await Ledger.AppendAsync([Append("acct-2", 1, 1, _ => "op-x")], Ct);
        Assert.Equal(2, Assert.Single(await Ledger.FindOperationsAsync("acct-2", ["op-x"], Ct)).Sequence);
    }

    [Fact]
    public async Task Ledger_malformed_appends_are_argument_errors_and_write_nothing()
    {
        await Ledger.AppendAsync([Append("acct-1", 0, 2)], Ct);
        var before = await StateAsync("acct-1");
        var good = Append("acct-2", 0, 1);

        AccountAppend[] malformed =
        [
            new(2, Snapshot("acct-1", 4), [Entry(3), Entry(5)]),              // gap
            new(2, Snapshot("acct-1", 4), [Entry(4), Entry(3)]),              // out of order
            new(2, Snapshot("acct-1", 4), [Entry(2), Entry(3), Entry(4)]),    // starts at the expected sequence
            new(2, Snapshot("acct-1", 5), [Entry(3), Entry(4)]),              // snapshot beyond the entries
            new(2, Snapshot("acct-1", 3), [Entry(3), Entry(4)]),              // snapshot behind the entries
            new(2, Snapshot("acct-1", 2), []),                                // no entries
            new(-1, Snapshot("acct-1", 0), [Entry(0)]),                       // negative expected sequence
            new(2, Snapshot("acct-1", 3), [Entry(3) with { OperationId = "" }]),
        ];
        foreach (var append in malformed)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AppendAsync([good, append], Ct));
        }

        Assert.Equal(before, await StateAsync("acct-1"));
        Assert.Null(await Ledger.LoadAsync("acct-2", Ct));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM accounts"));
    }

    [Fact]
    public async Task Ledger_an_empty_batch_writes_nothing()
    {
        await Ledger.AppendAsync([], Ct);

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM accounts"));
    }

    [Fact]
    public async Task Ledger_consecutive_appends_of_one_account_in_a_batch_are_written_together()
    {
        await Ledger.AppendAsync([Append("acct-1", 0, 2), Append("acct-2", 0, 1), Append("acct-1", 2, 3)], Ct);

        AssertSnapshot(Snapshot("acct-1", 5), await Ledger.LoadAsync("acct-1", Ct));
        Assert.Equal(Enumerable.Range(1, 5).Select(s => Entry(s)), await Ledger.ReadJournalAsync("acct-1", 0, 100, Ct));
        Assert.Equal(1, (await Ledger.LoadAsync("acct-2", Ct))?.Sequence);
    }

    [Fact]
    public async Task Ledger_an_account_twice_in_a_batch_not_continuing_is_a_conflict()
    {
        var conflict = await Assert.ThrowsAsync<LedgerConflictException>(() =>
            Ledger.AppendAsync([Append("acct-1", 0, 2), Append("acct-2", 0, 1), Append("acct-1", 0, 1)], Ct));

        Assert.Equal(("acct-1", 0L), (conflict.AccountId, conflict.ExpectedSequence));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM accounts"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM journal"));
    }

    [Fact]
    public async Task Ledger_a_large_batch_across_many_accounts_is_written_whole()
    {
        var first = Enumerable.Range(0, 500).Select(i => Append($"acct-{i:D3}", 0, 1 + (i % 4))).ToList();
        await Ledger.AppendAsync(first, Ct);
        var second = first.Select(a => Append(a.AccountId, a.Snapshot.Sequence, 2)).ToList();
        await Ledger.AppendAsync(second, Ct);

        Assert.Equal(500, await CountAsync("SELECT COUNT(*) FROM accounts"));
        Assert.Equal(first.Sum(a => a.Entries.Count) + 1_000, await CountAsync("SELECT COUNT(*) FROM journal"));
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM accounts a WHERE a.sequence <> (SELECT MAX(j.sequence) FROM journal j WHERE j.account_id = a.account_id)"));
        AssertSnapshot(Snapshot("acct-499", 6), await Ledger.LoadAsync("acct-499", Ct));
    }

    [Fact]
    public async Task Ledger_writers_racing_from_the_same_sequence_exactly_one_wins()
    {
        // Two databases stand for two silos whose activations of the account both wrote.
        var silos = new[] { Database, Open(Options) };
        for (var round = 0; round < 5; round++)
        {
            var account = $"race-{round}";
            var start = round % 2 == 0 ? 0 : 1;
            if (start == 1)
            {
                await Ledger.AppendAsync([Append(account, 0, 1)], Ct);
            }

            var writers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                try
                {
                    await new SqlLedgerStore(silos[i % 2]).AppendAsync([Append(account, start, 1 + i, s => Entry(s, $"w{i}-{s}"))], Ct);
                    return i;
                }
                catch (LedgerConflictException conflict) when (conflict.AccountId == account)
                {
                    return -1;
                }
            }));
            var results = await Task.WhenAll(writers);

            var winner = Assert.Single(results, r => r >= 0);
            var journal = await Ledger.ReadJournalAsync(account, start, 100, Ct);
            Assert.Equal(1 + winner, journal.Count);
            Assert.All(journal, e => Assert.StartsWith($"w{winner}-", e.OperationId, StringComparison.Ordinal));
            Assert.Equal(start + 1 + winner, (await Ledger.LoadAsync(account, Ct))?.Sequence);
        }
    }

    [Fact]
    public async Task Ledger_a_cancelled_append_writes_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ledger.AppendAsync([Append("acct-1", 0, 1)], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ledger.LoadAsync("acct-1", cancelled.Token));

        Assert.Null(await Ledger.LoadAsync("acct-1", Ct));
    }

    [Fact]
    public async Task Ledger_read_journal_pages_ascending_after_a_sequence()
    {
        await Ledger.AppendAsync([Append("acct-1", 0, 25), Append("acct-2", 0, 3)], Ct);

        var pages = new List<IReadOnlyList<JournalEntry>>();
        for (long after = 0; ; after = pages[^1][^1].Sequence)
        {
            var page = await Ledger.ReadJournalAsync("acct-1", after, 10, Ct);
            if (page.Count == 0)
            {
                break;
            }

            pages.Add(page);
        }

        Assert.Equal([10, 10, 5], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Range(1, 25).Select(s => Entry(s)), pages.SelectMany(p => p));
        Assert.Equal([24, 25], (await Ledger.ReadJournalAsync("acct-1", 23, 10, Ct)).Select(e => e.Sequence));
        Assert.Empty(await Ledger.ReadJournalAsync("acct-1", 25, 10, Ct));
        Assert.Empty(await Ledger.ReadJournalAsync("acct-1", 0, 0, Ct));
        Assert.Equal([1, 2, 3], (await Ledger.ReadJournalAsync("acct-2", 0, 10, Ct)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task Ledger_read_latest_is_descending_and_bounded()
    {
        await Ledger.AppendAsync([Append("acct-1", 0, 25), Append("acct-2", 0, 3)], Ct);

        Assert.Equal([25, 24, 23], (await Ledger.ReadLatestAsync("acct-1", 3, Ct)).Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 25).Reverse().Select(s => Entry(s)), await Ledger.ReadLatestAsync("acct-1", 100, Ct));
        Assert.Equal([3, 2, 1], (await Ledger.ReadLatestAsync("acct-2", 100, Ct)).Select(e => e.Sequence));
        Assert.Empty(await Ledger.ReadLatestAsync("acct-1", 0, Ct));
    }

    [Fact]
    public async Task Ledger_find_operations_returns_the_entries_found_in_sequence_order()
    {
        await Ledger.AppendAsync([Append("acct-1", 0, 5), Append("acct-2", 0, 5)], Ct);

        var found = await Ledger.FindOperationsAsync("acct-1", ["op-4", "missing", "op-2", "op-4"], Ct);

        Assert.Equal([Entry(2), Entry(4)], found);
        Assert.Empty(await Ledger.FindOperationsAsync("acct-1", ["missing"], Ct));
        Assert.Empty(await Ledger.FindOperationsAsync("acct-1", [], Ct));
        Assert.Empty(await Ledger.FindOperationsAsync("acct-3", ["op-1"], Ct));
    }

    [Fact]
    public async Task Ledger_find_operations_with_more_ids_than_one_sqlite_statement_takes()
    {
        var entries = 3 * SqlLedgerStore.SqliteIdsPerQuery;
        await Ledger.AppendAsync([Append("acct-1", 0, entries)], Ct);
        var wanted = Enumerable.Range(1, entries).Where(s => s % 3 != 0).Select(s => $"op-{s}")
            .Concat(Enumerable.Range(1, 300).Select(i => $"missing-{i}"))
            .OrderBy(id => id.GetHashCode(StringComparison.Ordinal))
            .ToArray();
        Assert.True(wanted.Length > 2 * SqlLedgerStore.SqliteIdsPerQuery);

        var found = await Ledger.FindOperationsAsync("acct-1", wanted, Ct);

        Assert.Equal(Enumerable.Range(1, entries).Where(s => s % 3 != 0).Select(s => Entry(s)), found);
    }

    private static JournalEntry Entry(long sequence, string? operationId = null) => new(
        sequence,
        sequence % 2 == 0 ? JournalEntryKind.Debit : JournalEntryKind.Deposit,
        100 + sequence,
        0,
        1_000 * sequence,
        0,
        operationId ?? $"op-{sequence}",
        null,
        null,
        null,
        null,
        sequence % 3 == 0 ? $"ref-{sequence}" : null,
        null,
        $$"""{"amount":{{100 + sequence}}}""",
        Epoch.AddMilliseconds(sequence));

    private static AccountSnapshot Snapshot(string accountId, long sequence) => new(
        accountId,
        null,
        AccountStatus.Active,
        false,
        AccountSettings.Default,
        1_000 * sequence,
        0,
        sequence,
        LedgerTotals.Zero with { Deposited = 1_000 * sequence },
        [],
        Epoch,
        Epoch.AddMilliseconds(sequence));

    /// <summary>An append of <paramref name="count"/> entries after <paramref name="expected"/>, with the snapshot they lead to.</summary>
    protected static AccountAppend Append(string accountId, long expected, int count, Func<long, string>? operationId = null)
    {
        var entries = Enumerable.Range(1, count).Select(i => expected + i).Select(s => Entry(s, operationId?.Invoke(s))).ToArray();
        return new AccountAppend(expected, Snapshot(accountId, expected + count), entries);
    }

    private static AccountAppend Append(string accountId, long expected, int count, Func<long, JournalEntry> entry)
    {
        var entries = Enumerable.Range(1, count).Select(i => entry(expected + i)).ToArray();
        return new AccountAppend(expected, Snapshot(accountId, expected + count), entries);
    }

    // Records compare lists by reference; the holds are compared item by item instead.
    private static void AssertSnapshot(AccountSnapshot expected, AccountSnapshot? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.OpenHolds, actual.OpenHolds);
        Assert.Equal(expected with { OpenHolds = actual.OpenHolds }, actual);
        Assert.Equal(expected.CreatedAt.Offset, actual.CreatedAt.Offset);
        Assert.Equal(expected.UpdatedAt.Offset, actual.UpdatedAt.Offset);
    }

    /// <summary>Everything stored for an account, straight from the tables, to compare before and after.</summary>
    private async Task<string> StateAsync(string accountId)
    {
        await using var connection = await Database.OpenConnectionAsync(Ct);
        await using var account = connection.CreateCommand(
            "SELECT sequence, available, held, status, snapshot, updated_at FROM accounts WHERE account_id = @id").With("id", accountId);
        var rows = new List<string>();
        await using (var reader = await account.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i))));
            }
        }

        await using var journal = connection.CreateCommand(
            $"SELECT {Stores.Ledger.JournalRows.Columns} FROM journal WHERE account_id = @id ORDER BY sequence").With("id", accountId);
        await using (var reader = await journal.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i))));
            }
        }

        return string.Join('\n', rows);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await Database.OpenConnectionAsync(Ct);
        return await connection.ScalarAsync(null, sql, Ct);
    }
}
