using Grid.Ledger.Persistence;
using Grid.Storage.Data;
using Grid.Storage.Stores;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>
/// Processed rail events (<see cref="IProcessedEventStore"/>) and the events an <see cref="AccountAppend"/>
/// records in the journal's transaction, on every provider. Rows are also read straight from the table,
/// so "kept" and "not written" are about what is stored, not about what one query shows.
/// </summary>
public abstract partial class StorageContractTests
{
    // Ticks below the millisecond: the store keeps milliseconds, so they are dropped on the way in.
    private static readonly DateTimeOffset EventAt = new DateTimeOffset(2026, 11, 21, 14, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4_567);

    private SqlProcessedEventStore ProcessedEvents => new(Database);

    [Fact]
    public async Task Processed_event_is_recorded_once_and_a_repeat_changes_nothing()
    {
        var original = RailEvent("evt_once", "pay-1", "pi_1", outcome: "applied");

        Assert.False(await ProcessedEvents.ExistsAsync("stripe", "evt_once", Ct));
        Assert.True(await ProcessedEvents.RecordAsync(original, Ct));
        Assert.True(await ProcessedEvents.ExistsAsync("stripe", "evt_once", Ct));

        var repeat = original with { PaymentId = "pay-2", Outcome = "ignored", Payload = """{"other":true}""", At = EventAt.AddHours(1) };
        Assert.False(await ProcessedEvents.RecordAsync(repeat, Ct));

        Assert.Equal(Stored(original), await EventRowAsync("stripe", "evt_once"));
        Assert.Empty(await ProcessedEvents.ForPaymentAsync("stripe", "pay-2", [], 10, Ct));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM processed_events"));
    }

    [Fact]
    public async Task An_event_recorded_as_unmatched_is_taken_by_the_payment_that_applies_it_and_by_no_other()
    {
        // The webhook records an event it finds no payment for, then finds the payment, which applies the event and
        // records it: on its own, or with the entry it caused.
        var alone = RailEvent("evt_alone", paymentId: null, objectRef: "pi_1", outcome: "unmatched");
        var appended = RailEvent("evt_appended", paymentId: null, objectRef: "pi_1", outcome: "unmatched");
        await ProcessedEvents.RecordAsync(alone, Ct);
        await ProcessedEvents.RecordAsync(appended, Ct);

        Assert.True(await ProcessedEvents.RecordAsync(alone with { PaymentId = "pay-1", Outcome = "applied", At = EventAt.AddSeconds(1) }, Ct));
        await Ledger.AppendAsync([Append("acct-1", 0, 1) with { Events = [appended with { PaymentId = "pay-1", Outcome = "applied" }, appended with { PaymentId = "pay-1", Outcome = "applied" }] }], Ct);

        Assert.Equal(
            [Stored(alone with { PaymentId = "pay-1", Outcome = "applied" }), Stored(appended with { PaymentId = "pay-1", Outcome = "applied" })],
            (await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", [], 10, Ct)).OrderBy(e => e.EventId, StringComparer.Ordinal));
        Assert.Empty(await ProcessedEvents.FindUnmatchedAsync("stripe", ["pi_1"], 10, Ct));

        // Once a payment has it, no other payment's record takes it over.
        Assert.False(await ProcessedEvents.RecordAsync(alone with { PaymentId = "pay-2", Outcome = "review" }, Ct));
        Assert.Equal("pay-1", (await EventRowAsync("stripe", "evt_alone"))!.PaymentId);
    }

    [Fact]
    public async Task Processed_event_ids_are_per_source()
    {
        await ProcessedEvents.RecordAsync(RailEvent("evt_1"), Ct);

        Assert.False(await ProcessedEvents.ExistsAsync("chain", "evt_1", Ct));
        Assert.True(await ProcessedEvents.RecordAsync(RailEvent("evt_1", source: "chain"), Ct));
        Assert.True(await ProcessedEvents.ExistsAsync("chain", "evt_1", Ct));
        Assert.True(await ProcessedEvents.ExistsAsync("stripe", "evt_1", Ct));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM processed_events"));
    }

    [Fact]
    public async Task Processed_event_round_trips_every_field_at_millisecond_precision()
    {
        var full = RailEvent("evt_full", "pay-1", "pi_1") with { Type = "charge.refunded", Payload = """{"name":"Zoë ✓ 日本","amount":1200}""" };
        var bare = RailEvent("evt_bare", paymentId: null, objectRef: null, outcome: "unmatched") with { Payload = "" };

        await ProcessedEvents.RecordAsync(full, Ct);
        await ProcessedEvents.RecordAsync(bare, Ct);

        var read = Assert.Single(await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", [], 10, Ct));
        Assert.Equal(Stored(full), read);
        Assert.NotEqual(full.At, read.At);
        Assert.Equal(TimeSpan.Zero, read.At.Offset);
        Assert.Equal(Stored(bare), await EventRowAsync("stripe", "evt_bare"));
        Assert.Equal(EventAt.ToUnixTimeMilliseconds(), await CountAsync("SELECT at FROM processed_events WHERE event_id = 'evt_full'"));
    }

    [Fact]
    public async Task Processed_event_that_is_malformed_is_an_argument_error_and_not_recorded()
    {
        ProcessedEvent[] malformed =
        [
            RailEvent(new string('e', ProcessedEvent.MaxIdLength + 1)),
            RailEvent("evt_1", paymentId: new string('p', ProcessedEvent.MaxIdLength + 1)),
            RailEvent("evt_1", objectRef: new string('o', ProcessedEvent.MaxIdLength + 1)),
            RailEvent("evt_1") with { Payload = new string('x', ProcessedEvent.MaxPayloadLength + 1) },
            RailEvent("evt_1") with { Source = "" },
            RailEvent("evt_1") with { Outcome = "" },
        ];
        foreach (var processedEvent in malformed)
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => ProcessedEvents.RecordAsync(processedEvent, Ct));
        }

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM processed_events"));
    }

    [Fact]
    public async Task Append_with_events_writes_the_entries_and_the_events_together()
    {
        var applied = RailEvent("evt_applied", "pay-1", "pi_1") with { Payload = """{"amount":10000,"note":"Zoë ✓"}""" };
        var unowned = RailEvent("evt_unowned", paymentId: null, objectRef: "pi_1", outcome: "unmatched", at: 1);

        await Ledger.AppendAsync([Append("acct-1", 0, 2) with { Events = [applied, unowned] }], Ct);

        Assert.Equal(2, (await Ledger.LoadAsync("acct-1", Ct))?.Sequence);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM journal WHERE account_id = 'acct-1'"));
        Assert.True(await ProcessedEvents.ExistsAsync("stripe", "evt_applied", Ct));
        var read = await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", ["pi_1"], 10, Ct);
        Assert.Equal([Stored(applied), Stored(unowned)], read);
        Assert.All(read, e => Assert.Equal(TimeSpan.Zero, e.At.Offset));
    }

    [Fact]
    public async Task Append_that_loses_its_fence_writes_neither_its_entries_nor_its_events()
    {
        await Ledger.AppendAsync([Append("acct-1", 0, 2), Append("acct-2", 0, 1)], Ct);
        var before = (await StateAsync("acct-1"), await StateAsync("acct-2"));

        // A stale sequence, one from the future, a second "first" append, an account never opened, and a fence
        // that passes but whose entry repeats an operation id: each carries an event that must not be recorded.
        AccountAppend[] losing =
        [
            Append("acct-1", 1, 2) with { Events = [RailEvent("evt_stale")] },
            Append("acct-1", 7, 1) with { Events = [RailEvent("evt_ahead")] },
            Append("acct-1", 0, 1) with { Events = [RailEvent("evt_again")] },
            Append("acct-none", 3, 1) with { Events = [RailEvent("evt_unknown")] },
            Append("acct-1", 2, 1, s => Entry(s, "op-1")) with { Events = [RailEvent("evt_repeated_op")] },
        ];
        foreach (var append in losing)
        {
            var conflict = await Assert.ThrowsAsync<LedgerConflictException>(() => Ledger.AppendAsync([append], Ct));
            Assert.Equal(append.AccountId, conflict.AccountId);
            Assert.False(await ProcessedEvents.ExistsAsync("stripe", append.Events[0].EventId, Ct));
        }

        // In a batch, the winning append's event goes down with the losing one.
        await Assert.ThrowsAsync<LedgerConflictException>(() => Ledger.AppendAsync(
            [Append("acct-2", 1, 1) with { Events = [RailEvent("evt_good")] }, Append("acct-1", 1, 1) with { Events = [RailEvent("evt_bad")] }],
            Ct));

        Assert.Equal(before, (await StateAsync("acct-1"), await StateAsync("acct-2")));
        Assert.Null(await Ledger.LoadAsync("acct-none", Ct));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM journal"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM processed_events"));
    }

    [Fact]
    public async Task Append_batch_of_several_accounts_records_every_accounts_events()
    {
        await Ledger.AppendAsync(
        [
            Append("acct-b", 0, 2) with { Events = [RailEvent("evt_b1", "pay-b"), RailEvent("evt_b2", "pay-b", at: 1)] },
            Append("acct-a", 0, 1) with { Events = [RailEvent("evt_a1", "pay-a")] },
            Append("acct-c", 0, 1),
        ], Ct);

        // Updates of existing accounts take the fenced path; their events are recorded the same way.
        await Ledger.AppendAsync(
        [
            Append("acct-a", 1, 1) with { Events = [RailEvent("evt_a2", "pay-a", at: 2)] },
            Append("acct-c", 1, 2) with { Events = [RailEvent("evt_c1", "pay-c")] },
            Append("acct-b", 2, 1),
        ], Ct);

        Assert.Equal(8, await CountAsync("SELECT COUNT(*) FROM journal"));
        Assert.Equal(5, await CountAsync("SELECT COUNT(*) FROM processed_events"));
        Assert.Equal(["evt_a1", "evt_a2"], (await ProcessedEvents.ForPaymentAsync("stripe", "pay-a", [], 10, Ct)).Select(e => e.EventId));
        Assert.Equal(["evt_b1", "evt_b2"], (await ProcessedEvents.ForPaymentAsync("stripe", "pay-b", [], 10, Ct)).Select(e => e.EventId));
        Assert.Equal(Stored(RailEvent("evt_c1", "pay-c")), Assert.Single(await ProcessedEvents.ForPaymentAsync("stripe", "pay-c", [], 10, Ct)));
    }

    [Fact]
    public async Task Append_with_an_event_recorded_before_succeeds_and_keeps_the_original_row_but_for_its_payment()
    {
        var original = RailEvent("evt_seen", paymentId: null, objectRef: "pi_1", outcome: "unmatched") with { Payload = """{"first":true}""" };
        var owned = RailEvent("evt_owned", paymentId: "pay-9", objectRef: "pi_9", outcome: "review") with { Payload = """{"first":true}""" };
        await ProcessedEvents.RecordAsync(original, Ct);
        await ProcessedEvents.RecordAsync(owned, Ct);

        var again = original with { PaymentId = "pay-1", Outcome = "applied", Payload = """{"second":true}""", At = EventAt.AddMinutes(5) };
        var ownedAgain = owned with { PaymentId = "pay-1", Outcome = "applied", Payload = """{"second":true}""", At = EventAt.AddMinutes(5) };
        await Ledger.AppendAsync([Append("acct-1", 0, 1) with { Events = [again, ownedAgain] }], Ct);

        // The row that matched no payment now names the one that applied it (its first payload and time kept); the other
        // payment's row is kept as it was.
        Assert.Equal(1, (await Ledger.LoadAsync("acct-1", Ct))?.Sequence);
        Assert.Equal(Stored(original with { PaymentId = "pay-1", Outcome = "applied" }), await EventRowAsync("stripe", "evt_seen"));
        Assert.Equal(Stored(owned), await EventRowAsync("stripe", "evt_owned"));

        // The same event carried by two appends of one batch (one event moving two accounts) is recorded once.
        var shared = RailEvent("evt_shared", "pay-2");
        await Ledger.AppendAsync([Append("acct-3", 0, 1) with { Events = [shared] }, Append("acct-2", 0, 1) with { Events = [shared] }], Ct);

        Assert.Equal(Stored(shared), Assert.Single(await ProcessedEvents.ForPaymentAsync("stripe", "pay-2", [], 10, Ct)));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM journal"));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM processed_events"));
    }

    [Fact]
    public async Task Append_with_a_malformed_event_is_an_argument_error_and_writes_nothing()
    {
        var good = Append("acct-1", 0, 1) with { Events = [RailEvent("evt_good")] };
        ProcessedEvent[] malformed =
        [
            RailEvent(new string('e', ProcessedEvent.MaxIdLength + 1)),
            RailEvent("evt_1", objectRef: new string('o', ProcessedEvent.MaxIdLength + 1)),
            RailEvent("evt_1") with { Payload = new string('x', ProcessedEvent.MaxPayloadLength + 1) },
            RailEvent("evt_1") with { Type = "" },
        ];
        foreach (var processedEvent in malformed)
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() =>
                Ledger.AppendAsync([good, Append("acct-2", 0, 1) with { Events = [RailEvent("evt_ok"), processedEvent] }], Ct));
        }

        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AppendAsync([good with { Events = [null!] }], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AppendAsync([good with { Events = null! }], Ct));

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM accounts"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM journal"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM processed_events"));

        // The limits themselves are allowed.
        var longest = RailEvent(new string('e', ProcessedEvent.MaxIdLength)) with { Payload = new string('x', ProcessedEvent.MaxPayloadLength) };
        await Ledger.AppendAsync([Append("acct-1", 0, 1) with { Events = [longest] }], Ct);
        Assert.Equal(Stored(longest), await EventRowAsync("stripe", longest.EventId));
    }

    [Fact]
    public async Task Append_merged_from_two_appends_of_one_account_keeps_both_appends_events()
    {
        await Ledger.AppendAsync(
        [
            Append("acct-1", 0, 2) with { Events = [RailEvent("evt_first", "pay-1")] },
            Append("acct-2", 0, 1) with { Events = [RailEvent("evt_other", "pay-2")] },
            Append("acct-1", 2, 3) with { Events = [RailEvent("evt_second", "pay-1", at: 1), RailEvent("evt_third", "pay-1", at: 2)] },
        ], Ct);

        Assert.Equal(5, (await Ledger.LoadAsync("acct-1", Ct))?.Sequence);
        Assert.Equal(
            ["evt_first", "evt_second", "evt_third"],
            (await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", [], 10, Ct)).Select(e => e.EventId));
        Assert.True(await ProcessedEvents.ExistsAsync("stripe", "evt_other", Ct));

        // A repeated account that does not continue is a conflict: none of the batch's events are recorded.
        await Assert.ThrowsAsync<LedgerConflictException>(() => Ledger.AppendAsync(
        [
            Append("acct-2", 1, 1) with { Events = [RailEvent("evt_lost_1")] },
            Append("acct-2", 1, 1) with { Events = [RailEvent("evt_lost_2")] },
        ], Ct));
        Assert.Equal(4, await CountAsync("SELECT COUNT(*) FROM processed_events"));
    }

    [Fact]
    public async Task For_payment_returns_its_events_and_the_unowned_events_of_its_object_refs()
    {
        ProcessedEvent[] recorded =
        [
            RailEvent("evt_own_pi", "pay-1", "pi_1", at: 0),
            RailEvent("evt_own_late", "pay-1", "ch_1", at: 9),
            RailEvent("evt_orphan_pi", null, "pi_1", "unmatched", at: 2),
            RailEvent("evt_orphan_ch", null, "ch_1", "unmatched", at: 3),
            RailEvent("evt_orphan_other", null, "pi_2", "unmatched", at: 4),
            RailEvent("evt_orphan_noref", null, null, "unmatched", at: 5),
            RailEvent("evt_other_payment", "pay-2", "pi_1", at: 6),
            RailEvent("evt_other_source_orphan", null, "pi_1", "unmatched", source: "chain", at: 7),
            RailEvent("evt_other_source_own", "pay-1", "pi_1", source: "chain", at: 8),
        ];
        foreach (var processedEvent in recorded)
        {
            Assert.True(await ProcessedEvents.RecordAsync(processedEvent, Ct));
        }

        Assert.Equal(
            ["evt_own_pi", "evt_own_late"],
            (await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", [], 100, Ct)).Select(e => e.EventId));
        Assert.Equal(
            new[] { recorded[0], recorded[2], recorded[3], recorded[1] }.Select(Stored),
            await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", ["pi_1", "ch_1", "pi_unknown"], 100, Ct));
        Assert.Equal(
            ["evt_other_source_orphan", "evt_other_source_own"],
            (await ProcessedEvents.ForPaymentAsync("chain", "pay-1", ["pi_1"], 100, Ct)).Select(e => e.EventId));
        Assert.Equal(["evt_other_payment"], (await ProcessedEvents.ForPaymentAsync("stripe", "pay-2", [], 100, Ct)).Select(e => e.EventId));
        Assert.Empty(await ProcessedEvents.ForPaymentAsync("stripe", "pay-none", [], 100, Ct));
        Assert.Equal(["evt_orphan_other"], (await ProcessedEvents.ForPaymentAsync("stripe", "pay-none", ["pi_2"], 100, Ct)).Select(e => e.EventId));
    }

    [Fact]
    public async Task For_payment_is_ordered_by_time_then_event_id_and_bounded_by_the_limit()
    {
        await ProcessedEvents.RecordAsync(RailEvent("evt_c", "pay-1", at: 1), Ct);
        await ProcessedEvents.RecordAsync(RailEvent("evt_b", "pay-1", at: 0), Ct);
        await ProcessedEvents.RecordAsync(RailEvent("evt_a", "pay-1", at: 1), Ct);
        await ProcessedEvents.RecordAsync(RailEvent("evt_orphan", null, "pi_1", "unmatched", at: 0), Ct);

        Assert.Equal(["evt_b", "evt_a"], (await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", [], 2, Ct)).Select(e => e.EventId));
        Assert.Equal(["evt_b", "evt_orphan"], (await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", ["pi_1"], 2, Ct)).Select(e => e.EventId));
        Assert.Equal(["evt_b"], (await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", [], 1, Ct)).Select(e => e.EventId));
        Assert.Equal(
            ["evt_b", "evt_orphan", "evt_a", "evt_c"],
            (await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", ["pi_1"], 100, Ct)).Select(e => e.EventId));
    }

    [Fact]
    public async Task For_payment_takes_at_most_max_object_refs()
    {
        await ProcessedEvents.RecordAsync(RailEvent("evt_orphan", null, $"ref-{SqlProcessedEventStore.MaxObjectRefs - 1}", "unmatched"), Ct);
        var most = Enumerable.Range(0, SqlProcessedEventStore.MaxObjectRefs).Select(i => $"ref-{i}").ToArray();

        Assert.Equal(["evt_orphan"], (await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", most, 10, Ct)).Select(e => e.EventId));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            ProcessedEvents.ForPaymentAsync("stripe", "pay-1", [.. most, "one-too-many"], 10, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ProcessedEvents.ForPaymentAsync("stripe", "pay-1", [], 0, Ct));
    }

    [Fact]
    public async Task Adopt_assigns_unowned_events_only()
    {
        var orphan = RailEvent("evt_orphan", null, "pi_1", "unmatched");
        var otherOrphan = RailEvent("evt_orphan_kept", null, "pi_1", "unmatched", at: 1);
        var owned = RailEvent("evt_owned", "pay-2", "pi_1", "applied", at: 2);
        foreach (var processedEvent in new[] { orphan, otherOrphan, owned })
        {
            await ProcessedEvents.RecordAsync(processedEvent, Ct);
        }

        await ProcessedEvents.AdoptAsync(
            "stripe",
            "pay-1",
            [new AdoptedEvent("evt_orphan", "applied"), new AdoptedEvent("evt_owned", "refunded"), new AdoptedEvent("evt_missing", "applied")],
            Ct);

        // Under another source the stripe orphan is not found, and an empty adoption is nothing.
        await ProcessedEvents.AdoptAsync("chain", "pay-3", [new AdoptedEvent("evt_orphan_kept", "applied")], Ct);
        await ProcessedEvents.AdoptAsync("stripe", "pay-3", [], Ct);

        Assert.Equal(Stored(orphan with { PaymentId = "pay-1", Outcome = "applied" }), await EventRowAsync("stripe", "evt_orphan"));
        Assert.Equal(Stored(otherOrphan), await EventRowAsync("stripe", "evt_orphan_kept"));
        Assert.Equal(Stored(owned), await EventRowAsync("stripe", "evt_owned"));
        Assert.Equal(["evt_orphan"], (await ProcessedEvents.ForPaymentAsync("stripe", "pay-1", [], 10, Ct)).Select(e => e.EventId));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM processed_events"));
        Assert.False(await ProcessedEvents.ExistsAsync("stripe", "evt_missing", Ct));
    }

    [Fact]
    public async Task Link_of_an_object_is_kept_from_the_first_link()
    {
        Assert.Null(await ProcessedEvents.FindLinkAsync("stripe", "pi_1", Ct));

        await ProcessedEvents.LinkAsync("pi_1", "pay-1", Ct);
        await ProcessedEvents.LinkAsync("pi_1", "pay-2", Ct);
        await ProcessedEvents.LinkAsync("ch_1", "pay-2", Ct);

        Assert.Equal("pay-1", await ProcessedEvents.FindLinkAsync("stripe", "pi_1", Ct));
        Assert.Equal("pay-2", await ProcessedEvents.FindLinkAsync("stripe", "ch_1", Ct));
        Assert.Null(await ProcessedEvents.FindLinkAsync("stripe", "pi_unknown", Ct));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM payment_links"));
    }

    [Fact]
    public async Task An_object_without_a_link_is_found_from_an_event_recorded_for_a_payment()
    {
        await ProcessedEvents.RecordAsync(RailEvent("evt_parked", paymentId: null, objectRef: "pi_9", outcome: "unmatched"), Ct);
        Assert.Null(await ProcessedEvents.FindLinkAsync("stripe", "pi_9", Ct)); // an unmatched event names no payment
        await ProcessedEvents.RecordAsync(RailEvent("evt_paid", paymentId: "pay-9", objectRef: "pi_9"), Ct);
        Assert.Equal("pay-9", await ProcessedEvents.FindLinkAsync("stripe", "pi_9", Ct));
        Assert.Null(await ProcessedEvents.FindLinkAsync("other", "pi_9", Ct));

        // Where both name a payment and disagree, the link row is the answer, whatever order the database reads them in.
        await ProcessedEvents.RecordAsync(RailEvent("evt_other", paymentId: "pay-event", objectRef: "pi_10"), Ct);
        await ProcessedEvents.LinkAsync("pi_10", "pay-link", Ct);
        Assert.Equal("pay-link", await ProcessedEvents.FindLinkAsync("stripe", "pi_10", Ct));
    }

    [Fact]
    public async Task Unmatched_events_are_found_by_their_objects_oldest_first()
    {
        await ProcessedEvents.RecordAsync(RailEvent("evt_a", paymentId: null, objectRef: "pi_5", outcome: "unmatched", at: 2), Ct);
        await ProcessedEvents.RecordAsync(RailEvent("evt_b", paymentId: null, objectRef: "ch_5", outcome: "unmatched", at: 1), Ct);
        await ProcessedEvents.RecordAsync(RailEvent("evt_c", paymentId: null, objectRef: "pi_other", outcome: "unmatched"), Ct);
        await ProcessedEvents.RecordAsync(RailEvent("evt_d", paymentId: "pay-5", objectRef: "pi_5"), Ct);
        await ProcessedEvents.RecordAsync(RailEvent("evt_e", paymentId: null, objectRef: "pi_5", outcome: "unmatched", source: "chain"), Ct);

        Assert.Equal(["evt_b", "evt_a"], (await ProcessedEvents.FindUnmatchedAsync("stripe", ["pi_5", "ch_5"], 10, Ct)).Select(e => e.EventId));
        Assert.Equal(["evt_b"], (await ProcessedEvents.FindUnmatchedAsync("stripe", ["pi_5", "ch_5"], 1, Ct)).Select(e => e.EventId));
        Assert.Empty(await ProcessedEvents.FindUnmatchedAsync("stripe", [], 10, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => ProcessedEvents.FindUnmatchedAsync("stripe", Enumerable.Range(0, SqlProcessedEventStore.MaxUnmatchedRefs + 1).Select(i => $"pi_{i}").ToList(), 10, Ct));
        var many = Enumerable.Range(0, SqlProcessedEventStore.MaxUnmatchedRefs - 1).Select(i => $"pi_many_{i}").Append("pi_5").ToList();
        Assert.Equal(["evt_a"], (await ProcessedEvents.FindUnmatchedAsync("stripe", many, 10, Ct)).Select(e => e.EventId));
    }

    private static ProcessedEvent RailEvent(
        string eventId, string? paymentId = "pay-1", string? objectRef = null, string outcome = "applied", string source = "stripe", int at = 0) =>
        new(source, eventId, "payment_intent.succeeded", paymentId, objectRef, outcome, $$"""{"id":"{{eventId}}"}""", EventAt.AddMilliseconds(at));

    /// <summary>The event as the store keeps it: its time in whole milliseconds.</summary>
    private static ProcessedEvent Stored(ProcessedEvent processedEvent) =>
        processedEvent with { At = DateTimeOffset.FromUnixTimeMilliseconds(processedEvent.At.ToUnixTimeMilliseconds()) };

    /// <summary>One processed_events row, read from the table rather than through the store.</summary>
    private async Task<ProcessedEvent?> EventRowAsync(string source, string eventId)
    {
        await using var connection = await Database.OpenConnectionAsync(Ct);
        await using var command = connection.CreateCommand(
            "SELECT type, payment_id, object_ref, outcome, payload, at FROM processed_events WHERE source = @source AND event_id = @event_id")
            .With("source", source)
            .With("event_id", eventId);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        if (!await reader.ReadAsync(Ct))
        {
            return null;
        }

        return new ProcessedEvent(
            source,
            eventId,
            reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
    }
}
