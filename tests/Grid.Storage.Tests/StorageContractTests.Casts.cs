using System.Globalization;
using Grid.Ledger.Persistence;
using Grid.Storage.Data;
using Grid.Storage.Migrations;
using Grid.Storage.Stores;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>
/// Cast records (<see cref="ICastStore"/>) and the usage and cast records an <see cref="AccountAppend"/> writes in the
/// journal's transaction, on every provider. Usage rows are read straight from the table, so "not written" is about
/// what is stored.
/// </summary>
public abstract partial class StorageContractTests
{
    // Ticks below the millisecond and an offset: the store keeps UTC milliseconds.
    private static readonly DateTimeOffset CastAt = new DateTimeOffset(2026, 11, 21, 15, 0, 0, 456, TimeSpan.FromHours(1)).AddTicks(789);

    private SqlCastStore CastStore => new(Database);

    [Fact]
    public async Task Casts_migration_is_version_8_and_creates_the_casts_table()
    {
        var runner = new MigrationRunner(Database, TimeProvider.System);

        Assert.Contains(runner.Migrations, m => m is { Version: 8, Name: "casts" });
        Assert.Contains(await runner.GetAppliedAsync(Ct), m => m is { Version: 8, Name: "casts" });
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM casts"));
        Assert.Null(await CastStore.ReadAsync("cast-none", Ct));
    }

    [Fact]
    public async Task Append_with_a_cast_and_its_usage_writes_both_with_its_entries()
    {
        var running = CastRecordFor("cast-1") with { Payload = """{"hold":"hold-1","note":"Zoë ✓ 日本"}""" };
        await Ledger.AppendAsync([Append("acct-1", 0, 1) with { Casts = [running] }], Ct);

        var read = await CastStore.ReadAsync("cast-1", Ct);
        Assert.Equal(StoredCast(running), read);
        Assert.Equal(TimeSpan.Zero, read?.UpdatedAt.Offset);
        Assert.Equal(TimeSpan.Zero, read?.DueAt?.Offset);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM usage_records"));

        // The fenced update path: the ending and its usage (one with every field, one with the optional ones empty).
        var ended = CastRecordFor("cast-1", CastRecordStage.Ended, at: 5);
        var usage = UsageFor("cast-1");
        var bare = new UsageRecord("session", "sess-1", "acct-1", null, 2_450, null, 1_960, "needs_review", CastAt.AddMilliseconds(1));
        await Ledger.AppendAsync([Append("acct-1", 1, 2) with { Casts = [ended], Usage = [usage, bare] }], Ct);

        Assert.Equal(3, (await Ledger.LoadAsync("acct-1", Ct))?.Sequence);
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM journal WHERE account_id = 'acct-1'"));
        Assert.Equal(StoredCast(ended), await CastStore.ReadAsync("cast-1", Ct));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM casts WHERE due_at IS NULL AND stage = 2"));
        Assert.Equal(StoredUsage(usage), await UsageRowAsync("cast", "cast-1"));
        Assert.Equal(StoredUsage(bare), await UsageRowAsync("session", "sess-1"));
        Assert.Equal(
            [new UsageSummaryRow("", 1, 2_450, 1_960, 1), new UsageSummaryRow("upscale", 1, 1, 30, 0)],
            await Usage.SummarizeAsync("acct-1", CastAt.AddDays(-1), CastAt.AddDays(1), UsageGrouping.Kind, Ct));
    }

    [Fact]
    public async Task Append_that_loses_its_fence_writes_neither_its_casts_nor_its_usage()
    {
        var kept = CastRecordFor("cast-kept");
        await Ledger.AppendAsync([Append("acct-1", 0, 2) with { Casts = [kept] }, Append("acct-2", 0, 1)], Ct);
        var before = (await StateAsync("acct-1"), await StateAsync("acct-2"));

        // Each losing append would also have advanced the stored cast.
        AccountAppend Losing(AccountAppend append) => append with
        {
            Casts = [CastRecordFor("cast-lost", account: append.AccountId), CastRecordFor("cast-kept", CastRecordStage.Ended, at: 9)],
            Usage = [UsageFor("cast-lost", account: append.AccountId)],
        };

        AccountAppend[] losing =
        [
            Losing(Append("acct-1", 1, 2)),
            Losing(Append("acct-1", 7, 1)),
            Losing(Append("acct-1", 0, 1)),
            Losing(Append("acct-none", 3, 1)),
            Losing(Append("acct-1", 2, 1, s => Entry(s, "op-1"))),
        ];
        foreach (var append in losing)
        {
            var conflict = await Assert.ThrowsAsync<LedgerConflictException>(() => Ledger.AppendAsync([append], Ct));
            Assert.Equal(append.AccountId, conflict.AccountId);
            Assert.Null(await CastStore.ReadAsync("cast-lost", Ct));
            Assert.Equal(StoredCast(kept), await CastStore.ReadAsync("cast-kept", Ct));
        }

        // In a batch, the winning append's records go down with the losing one, whichever comes first.
        var good = Append("acct-2", 1, 1) with
        {
            Casts = [CastRecordFor("cast-good", account: "acct-2"), CastRecordFor("cast-kept", CastRecordStage.Ending, at: 7)],
            Usage = [UsageFor("cast-good", account: "acct-2")],
        };
        await Assert.ThrowsAsync<LedgerConflictException>(() => Ledger.AppendAsync([good, Losing(Append("acct-1", 1, 1))], Ct));
        await Assert.ThrowsAsync<LedgerConflictException>(() => Ledger.AppendAsync([Losing(Append("acct-1", 1, 1)), good], Ct));

        Assert.Equal(before, (await StateAsync("acct-1"), await StateAsync("acct-2")));
        Assert.Null(await Ledger.LoadAsync("acct-none", Ct));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM journal"));
        Assert.Equal(StoredCast(kept), await CastStore.ReadAsync("cast-kept", Ct));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM casts"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM usage_records"));
    }

    [Fact]
    public async Task Cast_rows_only_move_forward_and_keep_their_account()
    {
        await Ledger.AppendAsync([Append("acct-1", 0, 1) with { Casts = [CastRecordFor("cast-1")] }], Ct);
        var ended = CastRecordFor("cast-1", CastRecordStage.Ended, payload: """{"ended":true}""", at: 10);
        await Ledger.AppendAsync([Append("acct-1", 1, 1) with { Casts = [ended] }], Ct);
        Assert.Equal(StoredCast(ended), await CastStore.ReadAsync("cast-1", Ct));

        // A late running or ending record neither takes the cast back nor fails the append that carries it.
        await Ledger.AppendAsync([Append("acct-1", 2, 1) with { Casts = [CastRecordFor("cast-1", at: 20)] }], Ct);
        await Ledger.AppendAsync([Append("acct-1", 3, 1) with { Casts = [CastRecordFor("cast-1", CastRecordStage.Ending, at: 21)] }], Ct);
        Assert.Equal(4, (await Ledger.LoadAsync("acct-1", Ct))?.Sequence);
        Assert.Equal(4, await CountAsync("SELECT COUNT(*) FROM journal"));

        // Nor does a save, which says it wrote nothing; the same stage again does not replace the row either.
        Assert.False(await CastStore.SaveAsync(CastRecordFor("cast-1", at: 30), Ct));
        Assert.False(await CastStore.SaveAsync(CastRecordFor("cast-1", CastRecordStage.Ending, at: 31), Ct));
        Assert.False(await CastStore.SaveAsync(ended with { Payload = """{"ended":"again"}""", UpdatedAt = CastAt.AddSeconds(1) }, Ct));
        Assert.Equal(StoredCast(ended), await CastStore.ReadAsync("cast-1", Ct));

        // A save that inserts or advances says so; the paying account stays the one first written.
        var running = CastRecordFor("cast-2", account: "acct-2");
        Assert.True(await CastStore.SaveAsync(running, Ct));
        Assert.False(await CastStore.SaveAsync(running with { Payload = "{}" }, Ct));
        Assert.Equal(StoredCast(running), await CastStore.ReadAsync("cast-2", Ct));
        var ending = CastRecordFor("cast-2", CastRecordStage.Ending, account: "acct-other", dueIn: 5, at: 40);
        Assert.True(await CastStore.SaveAsync(ending, Ct));
        Assert.Equal(StoredCast(ending with { AccountId = "acct-2" }), await CastStore.ReadAsync("cast-2", Ct));

        var endedByAppend = CastRecordFor("cast-2", CastRecordStage.Ended, account: "acct-1", at: 50);
        await Ledger.AppendAsync([Append("acct-1", 4, 1) with { Casts = [endedByAppend] }], Ct);
        Assert.Equal(StoredCast(endedByAppend with { AccountId = "acct-2" }), await CastStore.ReadAsync("cast-2", Ct));
        Assert.False(await CastStore.SaveAsync(endedByAppend, Ct));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM casts"));
    }

    [Fact]
    public async Task Append_batch_keeps_the_furthest_record_of_a_cast_and_the_last_usage_record_of_a_key()
    {
        // Two starts under one cast id (on two accounts) in one batch: the first is kept, as two writes would keep it, and a
        // later stage of another account's record keeps the account first written.
        var firstOfTie = CastRecordFor("cast-tie", account: "acct-2", payload: """{"n":1}""");
        var lastOfTie = CastRecordFor("cast-tie", account: "acct-3", payload: """{"n":2}""", at: 1);
        var usageFirst = UsageFor("cast-a", price: 10);
        var usageLast = UsageFor("cast-a", price: 30, status: "failed") with { ProviderCost = 0.5m, At = CastAt.AddMilliseconds(2) };
        await Ledger.AppendAsync(
        [
            Append("acct-1", 0, 1) with
            {
                Casts = [CastRecordFor("cast-a"), CastRecordFor("cast-b", CastRecordStage.Ended, at: 1), CastRecordFor("cast-d", CastRecordStage.Ending), CastRecordFor("cast-d")],
                Usage = [usageFirst],
            },
            Append("acct-2", 0, 1) with { Casts = [firstOfTie, CastRecordFor("cast-e", account: "acct-2")] },
            Append("acct-1", 1, 2) with
            {
                Casts = [CastRecordFor("cast-a", CastRecordStage.Ended, at: 2), CastRecordFor("cast-b", at: 3)],
                Usage = [usageLast],
            },
            Append("acct-3", 0, 1) with { Casts = [lastOfTie, CastRecordFor("cast-e", CastRecordStage.Ending, account: "acct-3", at: 4)] },
        ], Ct);

        Assert.Equal(3, (await Ledger.LoadAsync("acct-1", Ct))?.Sequence);
        Assert.Equal(1, (await Ledger.LoadAsync("acct-2", Ct))?.Sequence);
        Assert.Equal(StoredCast(CastRecordFor("cast-a", CastRecordStage.Ended, at: 2)), await CastStore.ReadAsync("cast-a", Ct));
        Assert.Equal(StoredCast(CastRecordFor("cast-b", CastRecordStage.Ended, at: 1)), await CastStore.ReadAsync("cast-b", Ct));
        Assert.Equal(StoredCast(CastRecordFor("cast-d", CastRecordStage.Ending)), await CastStore.ReadAsync("cast-d", Ct));
        Assert.Equal(StoredCast(firstOfTie), await CastStore.ReadAsync("cast-tie", Ct));
        Assert.Equal(StoredCast(CastRecordFor("cast-e", CastRecordStage.Ending, account: "acct-2", at: 4)), await CastStore.ReadAsync("cast-e", Ct));
        Assert.Equal(5, await CountAsync("SELECT COUNT(*) FROM casts"));

        Assert.Equal(StoredUsage(usageLast), await UsageRowAsync("cast", "cast-a"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM usage_records"));

        // The same usage key in two accounts' appends of one batch: the last in append order.
        var other = UsageFor("cast-shared", price: 1, account: "acct-2");
        var last = UsageFor("cast-shared", price: 2);
        await Ledger.AppendAsync([Append("acct-2", 1, 1) with { Usage = [other] }, Append("acct-1", 3, 1) with { Usage = [last] }], Ct);
        Assert.Equal(StoredUsage(last), await UsageRowAsync("cast", "cast-shared"));
    }

    [Fact]
    public async Task Append_batches_commit_with_any_mix_of_events_usage_and_casts()
    {
        // Every mix, on both account paths (new accounts, fenced updates) and with announcements, where PostgreSQL adds
        // a statement: each batch must still see its own fences, and a lost one must still write nothing.
        await using var announcing = CreateAnnouncingDatabase();
        SqlLedgerStore[] stores = [Ledger, new SqlLedgerStore(announcing)];
        var round = 0;
        var (events, usage, casts) = (0, 0, 0);
        foreach (var store in stores)
        {
            for (var mix = 0; mix < 8; mix++)
            {
                round++;
                var (withEvents, withUsage, withCasts) = ((mix & 1) != 0, (mix & 2) != 0, (mix & 4) != 0);
                var step = 0;
                AccountAppend Carrying(AccountAppend append)
                {
                    var tag = $"{round}-{append.AccountId}-{++step}";
                    return append with
                    {
                        Events = withEvents ? [RailEvent($"evt-{tag}")] : [],
                        Usage = withUsage ? [UsageFor($"cast-{tag}", account: append.AccountId)] : [],
                        Casts = withCasts ? [CastRecordFor($"cast-{tag}", account: append.AccountId)] : [],
                    };
                }

                var (a, b, c) = ($"acct-{round}-a", $"acct-{round}-b", $"acct-{round}-c");
                await store.AppendAsync([Carrying(Append(a, 0, 1)), Carrying(Append(b, 0, 2))], Ct);
                await store.AppendAsync([Carrying(Append(b, 2, 1)), Carrying(Append(a, 1, 1))], Ct);
                await store.AppendAsync([Carrying(Append(a, 2, 1)), Carrying(Append(c, 0, 1))], Ct);
                await Assert.ThrowsAsync<LedgerConflictException>(() => store.AppendAsync([Carrying(Append(a, 3, 1)), Carrying(Append(b, 0, 1))], Ct));
                await Assert.ThrowsAsync<LedgerConflictException>(() => store.AppendAsync([Carrying(Append(c, 1, 1)), Carrying(Append(b, 2, 1))], Ct));

                Assert.Equal((3L, 3L, 1L), ((await Ledger.LoadAsync(a, Ct))!.Sequence, (await Ledger.LoadAsync(b, Ct))!.Sequence, (await Ledger.LoadAsync(c, Ct))!.Sequence));
                events += withEvents ? 6 : 0;
                usage += withUsage ? 6 : 0;
                casts += withCasts ? 6 : 0;
                Assert.Equal(events, await CountAsync("SELECT COUNT(*) FROM processed_events"));
                Assert.Equal(usage, await CountAsync("SELECT COUNT(*) FROM usage_records"));
                Assert.Equal(casts, await CountAsync("SELECT COUNT(*) FROM casts"));
            }
        }
    }

    [Fact]
    public async Task Find_due_returns_unended_casts_due_by_now_earliest_first_within_the_limit()
    {
        var now = CastAt;
        CastRecord[] saved =
        [
            CastRecordFor("cast-late", dueIn: 1),
            CastRecordFor("cast-b", dueIn: -1_000),
            CastRecordFor("cast-a", CastRecordStage.Ending, dueIn: -1_000),
            CastRecordFor("cast-first", dueIn: -5_000, account: "acct-2"),
            CastRecordFor("cast-now", dueIn: 0),
            CastRecordFor("cast-ended", CastRecordStage.Ended),
            CastRecordFor("cast-was-due", dueIn: -9_000),
        ];
        foreach (var record in saved)
        {
            Assert.True(await CastStore.SaveAsync(record, Ct));
        }

        Assert.True(await CastStore.SaveAsync(CastRecordFor("cast-was-due", CastRecordStage.Ended, at: 1), Ct));

        var due = await CastStore.FindDueAsync(now, 10, Ct);
        Assert.Equal(["cast-first", "cast-a", "cast-b", "cast-now"], due.Select(c => c.CastId));
        Assert.Equal(StoredCast(saved[3]), due[0]);
        Assert.Equal(StoredCast(saved[2]), due[1]);
        Assert.Equal(["cast-first", "cast-a"], (await CastStore.FindDueAsync(now, 2, Ct)).Select(c => c.CastId));
        Assert.Equal(["cast-first"], (await CastStore.FindDueAsync(now, 1, Ct)).Select(c => c.CastId));
        Assert.Equal(
            ["cast-first", "cast-a", "cast-b", "cast-now", "cast-late"],
            (await CastStore.FindDueAsync(now.AddMilliseconds(1), SqlCastStore.MaxDueLimit, Ct)).Select(c => c.CastId));
        Assert.Empty(await CastStore.FindDueAsync(now.AddMilliseconds(-5_001), 10, Ct));
        Assert.DoesNotContain(
            await CastStore.FindDueAsync(DateTimeOffset.MaxValue.AddYears(-1), SqlCastStore.MaxDueLimit, Ct),
            c => c.Stage == CastRecordStage.Ended);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => CastStore.FindDueAsync(now, 0, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => CastStore.FindDueAsync(now, SqlCastStore.MaxDueLimit + 1, Ct));
    }

    [Fact]
    public async Task Postpone_moves_a_due_cast_behind_the_others_only_while_its_row_is_as_found()
    {
        var first = CastRecordFor("cast-first", dueIn: -5_000);
        var second = CastRecordFor("cast-second", dueIn: -1_000);
        var advanced = CastRecordFor("cast-advanced", dueIn: -3_000);
        foreach (var record in new[] { first, second, advanced })
        {
            Assert.True(await CastStore.SaveAsync(record, Ct));
        }

        Assert.True(await CastStore.PostponeAsync(StoredCast(first), CastAt.AddMinutes(1), Ct));
        Assert.Equal(["cast-advanced", "cast-second"], (await CastStore.FindDueAsync(CastAt, 10, Ct)).Select(c => c.CastId));
        var postponed = StoredCast(first with { DueAt = CastAt.AddMinutes(1) });
        Assert.Equal(postponed, await CastStore.ReadAsync("cast-first", Ct));

        // Moved on by its grain since the sweep read it (a later stage, or another due time): left as the grain wrote it.
        var ending = CastRecordFor("cast-advanced", CastRecordStage.Ending, dueIn: 30_000, at: 1);
        Assert.True(await CastStore.SaveAsync(ending, Ct));
        Assert.False(await CastStore.PostponeAsync(StoredCast(advanced), CastAt.AddHours(1), Ct));
        Assert.False(await CastStore.PostponeAsync(StoredCast(first), CastAt.AddHours(1), Ct));
        Assert.Equal(StoredCast(ending), await CastStore.ReadAsync("cast-advanced", Ct));
        Assert.Equal(postponed, await CastStore.ReadAsync("cast-first", Ct));

        var ended = CastRecordFor("cast-second", CastRecordStage.Ended, at: 2);
        Assert.True(await CastStore.SaveAsync(ended, Ct));
        Assert.False(await CastStore.PostponeAsync(StoredCast(second), CastAt.AddHours(1), Ct));
        Assert.Null((await CastStore.ReadAsync("cast-second", Ct))!.DueAt);
        Assert.False(await CastStore.PostponeAsync(CastRecordFor("cast-unknown", dueIn: -1), CastAt.AddHours(1), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => CastStore.PostponeAsync(ended, CastAt, Ct));
    }

    [Fact]
    public async Task Append_or_save_with_a_malformed_cast_or_usage_record_is_an_argument_error_and_writes_nothing()
    {
        var good = Append("acct-1", 0, 1) with { Casts = [CastRecordFor("cast-good")], Usage = [UsageFor("cast-good")] };
        CastRecord[] malformedCasts =
        [
            CastRecordFor(""),
            CastRecordFor(new string('c', CastRecord.MaxIdLength + 1)),
            CastRecordFor("cast-1", account: ""),
            CastRecordFor("cast-1", account: new string('a', CastRecord.MaxIdLength + 1)),
            CastRecordFor("cast-1", payload: new string('x', CastRecord.MaxPayloadLength + 1)),
            CastRecordFor("cast-1") with { Payload = null! },
            CastRecordFor("cast-1") with { Stage = (CastRecordStage)7 },
            CastRecordFor("cast-1") with { DueAt = null },
            CastRecordFor("cast-1", CastRecordStage.Ended) with { DueAt = CastAt },
        ];
        foreach (var cast in malformedCasts)
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() =>
                Ledger.AppendAsync([good, Append("acct-2", 0, 1) with { Casts = [CastRecordFor("cast-ok", account: "acct-2"), cast] }], Ct));
            await Assert.ThrowsAnyAsync<ArgumentException>(() => CastStore.SaveAsync(cast, Ct));
        }

        UsageRecord[] malformedUsage =
        [
            UsageFor("cast-1") with { Source = "" },
            UsageFor(""),
            UsageFor("cast-1", account: ""),
            UsageFor("cast-1", status: ""),
        ];
        foreach (var record in malformedUsage)
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() =>
                Ledger.AppendAsync([good, Append("acct-2", 0, 1) with { Usage = [UsageFor("cast-ok", account: "acct-2"), record] }], Ct));
            await Assert.ThrowsAnyAsync<ArgumentException>(() => Usage.RecordAsync(record, Ct));
        }

        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AppendAsync([good with { Casts = [null!] }], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AppendAsync([good with { Casts = null! }], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AppendAsync([good with { Usage = [null!] }], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AppendAsync([good with { Usage = null! }], Ct));

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM accounts"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM journal"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM casts"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM usage_records"));

        // The limits themselves are allowed.
        var longest = CastRecordFor(new string('c', CastRecord.MaxIdLength), account: new string('a', CastRecord.MaxIdLength), payload: new string('x', CastRecord.MaxPayloadLength));
        await Ledger.AppendAsync([good with { Casts = [longest] }], Ct);
        Assert.Equal(StoredCast(longest), await CastStore.ReadAsync(longest.CastId, Ct));
    }

    /// <summary>A cast record; due <paramref name="dueIn"/> ms after <see cref="CastAt"/> unless ended, written <paramref name="at"/> ms after it.</summary>
    private static CastRecord CastRecordFor(
        string castId, CastRecordStage stage = CastRecordStage.Running, string account = "acct-1", int dueIn = 60_000, string? payload = null, int at = 0) =>
        new(
            castId,
            account,
            stage,
            stage == CastRecordStage.Ended ? null : CastAt.AddMilliseconds(dueIn),
            payload ?? $$"""{"cast":"{{castId}}","stage":"{{stage}}"}""",
            CastAt.AddMilliseconds(at));

    private static UsageRecord UsageFor(string castId, long price = 30, string status = "completed", string account = "acct-1") =>
        new("cast", castId, account, "upscale", 1, 12.345m, price, status, CastAt);

    /// <summary>The record as the store keeps it: its times in whole UTC milliseconds.</summary>
    private static CastRecord StoredCast(CastRecord record) => record with
    {
        DueAt = record.DueAt is { } dueAt ? DateTimeOffset.FromUnixTimeMilliseconds(dueAt.ToUnixTimeMilliseconds()) : null,
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(record.UpdatedAt.ToUnixTimeMilliseconds()),
    };

    private static UsageRecord StoredUsage(UsageRecord record) =>
        record with { At = DateTimeOffset.FromUnixTimeMilliseconds(record.At.ToUnixTimeMilliseconds()) };

    /// <summary>One usage_records row, read from the table rather than through the store.</summary>
    private async Task<UsageRecord?> UsageRowAsync(string source, string sourceId)
    {
        await using var connection = await Database.OpenConnectionAsync(Ct);
        await using var command = connection.CreateCommand(
            "SELECT account_id, kind, units, provider_cost, user_price, status, at FROM usage_records WHERE source = @source AND source_id = @source_id")
            .With("source", source)
            .With("source_id", sourceId);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        if (!await reader.ReadAsync(Ct))
        {
            return null;
        }

        return new UsageRecord(
            source,
            sourceId,
            reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.GetInt64(2),
            reader.IsDBNull(3) ? null : decimal.Parse(reader.GetString(3), CultureInfo.InvariantCulture),
            reader.GetInt64(4),
            reader.GetString(5),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)));
    }
}
