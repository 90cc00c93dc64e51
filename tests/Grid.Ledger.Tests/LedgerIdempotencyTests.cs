using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Tests.Support;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>Operation ids in the ledger: replays, conflicts naming the field, and refusals that leave ids free.</summary>
public sealed class LedgerIdempotencyTests
{
    [Fact]
    public void Same_id_and_arguments_replay_the_original_entry_without_a_new_one()
    {
        var harness = LedgerHarness.Opened(deposit: 1_000);
        var first = harness.Run(new Debit("op", 100, "r"));
        harness.Run(new Debit("other", 1));

        var again = harness.Execute(new Debit("op", 100, "r"));
        Assert.True(again.Replayed);
        Assert.Equal(first, again.Entry);
        Assert.Equal(899, harness.Ledger.Balance.Available);
        Assert.Equal(4, harness.Ledger.Sequence);
    }

    [Fact]
    public void Same_id_with_other_arguments_is_a_conflict_naming_the_first_differing_field()
    {
        var harness = LedgerHarness.Opened(deposit: 1_000);
        harness.Run(new Debit("op", 100, "r"));
        harness.Run(new PlaceHold("h", 10, TimeSpan.FromSeconds(10)));
        harness.Run(new CaptureHold("c", "h", 5, Final: false));

        harness.Refuse(new Debit("op", 101, "x"), LedgerErrorCodes.IdempotencyConflict, "amount");
        harness.Refuse(new Debit("op", 100, "x"), LedgerErrorCodes.IdempotencyConflict, "reference");
        harness.Refuse(new Debit("op", 100, "r", "{}"), LedgerErrorCodes.IdempotencyConflict, "metadata");
        harness.Refuse(new PlaceHold("h", 10), LedgerErrorCodes.IdempotencyConflict, "expiresInMs");
        harness.Refuse(new CaptureHold("c", "h", 5), LedgerErrorCodes.IdempotencyConflict, "final");
    }

    [Fact]
    public void Same_id_for_another_kind_of_command_is_a_conflict_on_the_operation_id()
    {
        var harness = LedgerHarness.Opened(deposit: 1_000);
        harness.Run(new Debit("op", 100));
        harness.Run(new PlaceHold("h", 10));

        harness.Refuse(new Deposit("op", 100), LedgerErrorCodes.IdempotencyConflict, "operationId");
        harness.Refuse(new Refund("op", 100), LedgerErrorCodes.IdempotencyConflict, "operationId");
        harness.Refuse(new VoidHold("h", "h"), LedgerErrorCodes.IdempotencyConflict, "operationId");
        harness.Refuse(new UnfreezeAccount("seed"), LedgerErrorCodes.IdempotencyConflict, "operationId");
    }

    [Fact]
    public void A_refused_command_leaves_its_id_free_and_a_retry_is_evaluated_afresh()
    {
        var harness = LedgerHarness.Opened(deposit: 50);
        harness.Refuse(new Debit("op", 100), LedgerErrorCodes.InsufficientFunds);
        harness.Run(new Deposit("top-up", 100));
        var retried = harness.Execute(new Debit("op", 100));
        Assert.False(retried.Replayed);
        Assert.Equal(50, retried.Entry.AvailableAfter);

        // And a refused id may even be used for a different kind of command.
        harness.Refuse(new Refund("free", 1_000), LedgerErrorCodes.InsufficientFunds);
        Assert.Equal(150, harness.Run(new Deposit("free", 100)).AvailableAfter);
    }

    [Fact]
    public void A_replay_answers_with_the_original_even_after_the_state_changed()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        var hold = harness.Run(new PlaceHold("h", 100));
        var capture = harness.Run(new CaptureHold("c", "h", 100));
        harness.Run(new FreezeAccount("f"));

        // The hold is closed and the account frozen, yet both repeats return what they first did.
        Assert.Equal(hold, harness.Execute(new PlaceHold("h", 100)).Entry);
        Assert.Equal(capture, harness.Execute(new CaptureHold("c", "h", 100)).Entry);
    }

    [Fact]
    public void Validation_comes_before_the_replay_check()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Run(new Debit("op", 10));
        harness.Refuse(new Debit("op", 0), LedgerErrorCodes.ValidationFailed, "amount");
    }

    [Fact]
    public void Retrying_a_final_capture_whose_hold_left_the_window_replays_it()
    {
        // Found by the model property with a small window: looking the closed hold up used to push the
        // capture itself out of the window, so the retry was answered hold_closed instead of the original.
        var harness = new LedgerHarness(windowCapacity: 4);
        LedgerCommand[] history =
        [
            new OpenAccount(), new Deposit("seed", 100), new PlaceHold("h", 50), new CaptureHold("c", "h", 20),
            new Deposit("d1", 1), new Deposit("d2", 1), new Deposit("d3", 1),
        ];
        var entries = history.Select(command =>
        {
            var entry = harness.Run(command);
            harness.Ledger.MarkDurable(entry.Sequence);
            return entry;
        }).ToList();

        var retry = new CaptureHold("c", "h", 20);
        var unknown = harness.Ledger.UnknownIds(retry);
        Assert.Equal(["c", "h"], unknown); // "c" is durable, so its entry is the journal's; "h" left the window
        harness.Ledger.Remember(entries.Where(e => unknown.Contains(e.OperationId)));

        var replay = harness.Execute(retry);
        Assert.True(replay.Replayed);
        Assert.Equal(entries[3], replay.Entry);
        harness.Refuse(new VoidHold("c", "h"), LedgerErrorCodes.IdempotencyConflict, "operationId");
    }

    [Fact]
    public void Expiries_written_just_before_a_retry_do_not_push_its_id_out_and_apply_it_twice()
    {
        // Found by the model property: the grain checks a command's ids, runs ExpireDue, then the command.
        // The expiry entries used to trim the window, dropping the retried debit's own entry, so the retry
        // was applied a second time under the same operation id.
        var harness = new LedgerHarness(windowCapacity: 4);
        LedgerCommand[] history =
        [
            new OpenAccount(), new Deposit("seed", 100), new PlaceHold("h", 10, TimeSpan.FromSeconds(10)),
            new Debit("x", 5), new Deposit("d1", 1), new Deposit("d2", 1), new Deposit("d3", 1),
        ];
        var entries = history.Select(command =>
        {
            var entry = harness.Run(command);
            harness.Ledger.MarkDurable(entry.Sequence);
            return entry;
        }).ToList();

        var retry = new Debit("x", 5);
        var unknown = harness.Ledger.UnknownIds(retry);
        Assert.Equal(["x"], unknown); // the oldest id in the window, durable: its entry is looked up
        harness.Ledger.Remember(entries.Where(e => unknown.Contains(e.OperationId)));
        harness.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(harness.Ledger.ExpireDue(harness.Now));

        var replay = harness.Execute(retry);
        Assert.True(replay.Replayed);
        Assert.Equal(entries[3], replay.Entry);
        Assert.Equal(new Grid.Ledger.Accounts.Balance(98, 0, 8), harness.Ledger.Balance);
    }

    [Fact]
    public void A_looked_up_entry_committed_before_its_confirmation_arrived_is_accepted_and_a_foreign_one_is_not()
    {
        // Found by the concurrency test: a look-up read an entry the store had committed while this ledger
        // was still waiting to hear so; remembering it threw an invariant failure at the caller.
        var harness = LedgerHarness.Opened(deposit: 10);
        harness.Ledger.MarkDurable(harness.Ledger.Sequence);
        var pending = harness.Run(new Debit("x", 1)); // written, not yet confirmed durable

        harness.Ledger.Remember([pending]);
        Assert.True(harness.Execute(new Debit("x", 1)).Replayed);

        var foreign = pending with { Sequence = pending.Sequence + 1, OperationId = "from-elsewhere" };
        Assert.Throws<LedgerInvariantException>(() => harness.Ledger.Remember([foreign]));
    }

    [Fact]
    public void Ids_beyond_a_full_window_are_named_for_lookup_and_known_ones_are_not()
    {
        var harness = new LedgerHarness(windowCapacity: 4);
        harness.Run(new OpenAccount());
        for (var i = 0; i < 6; i++)
        {
            harness.Run(new Deposit($"d{i}", 1));
        }

        Assert.Empty(harness.Ledger.UnknownIds(new Deposit("d0", 1))); // nothing durable: nothing let go

        harness.Ledger.MarkDurable(harness.Ledger.Sequence);
        harness.Run(new Deposit("d6", 1)); // now the oldest durable entries leave the window
        Assert.Equal(["d0"], harness.Ledger.UnknownIds(new Deposit("d0", 1)));
        Assert.Empty(harness.Ledger.UnknownIds(new Deposit("d6", 1)));
        Assert.Equal(["v", "d1"], harness.Ledger.UnknownIds(new VoidHold("v", "d1")));
    }

    [Fact]
    public void A_durable_operation_is_answered_from_the_journal_and_never_run_as_new()
    {
        var harness = LedgerHarness.Opened(deposit: 10);
        var debit = harness.Run(new Debit("x", 4));
        harness.Ledger.MarkDurable(harness.Ledger.Sequence); // the window keeps "x" as a fingerprint only

        var retry = new Debit("x", 4);
        Assert.Equal(["x"], harness.Ledger.UnknownIds(retry));
        Assert.Throws<LedgerInvariantException>(() => harness.Ledger.Execute(retry, harness.Now)); // an owner that skipped the look-up
        Assert.Equal(6, harness.Ledger.Balance.Available);

        harness.Ledger.Remember([debit]);
        Assert.Empty(harness.Ledger.UnknownIds(retry));
        var replay = harness.Execute(retry);
        Assert.True(replay.Replayed);
        Assert.Equal(debit, replay.Entry);
        Assert.Equal(6, harness.Ledger.Balance.Available);
    }

    [Fact]
    public void An_id_not_found_by_a_look_up_is_asked_for_again_once_a_concurrent_twin_was_written()
    {
        // The grain looks an id up, and while it waits, a concurrent command with the same id is written and made
        // durable. The look-up's "absent" answer is stale then; trusting it would run the operation twice.
        var harness = new LedgerHarness(windowCapacity: 2);
        harness.Run(new OpenAccount());
        harness.Run(new Deposit("seed", 10));
        harness.Ledger.MarkDurable(harness.Ledger.Sequence);
        harness.Run(new Deposit("more", 10)); // lets the oldest fingerprint go: every new id is looked up now
        harness.Ledger.MarkDurable(harness.Ledger.Sequence);

        var first = new Debit("x", 4);
        Assert.Equal(["x"], harness.Ledger.UnknownIds(first));
        var absent = new HashSet<string>(["x"], StringComparer.Ordinal); // the look-up found nothing
        var twin = harness.Run(new Debit("x", 4)); // the twin, looked up before, runs first
        Assert.Empty(harness.Ledger.UnknownIds(first, absent)); // held whole until durable
        harness.Ledger.MarkDurable(twin.Sequence);

        Assert.Equal(["x"], harness.Ledger.UnknownIds(first, absent));
        harness.Ledger.Remember([twin]);
        Assert.True(harness.Execute(first).Replayed);
        Assert.Equal(16, harness.Ledger.Balance.Available);
    }
}
