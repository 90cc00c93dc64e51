using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Grid.Ledger.Accounts;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;
using Grid.Ledger.Tests.Model;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>
/// The property of the issue: random command sequences give the same outcomes, balances and journal on
/// <see cref="AccountLedger"/> as on the independent <see cref="ReferenceAccount"/>, and the ledger's
/// journal keeps the invariants of DESIGN.md section 4 after every step.
/// </summary>
public sealed class LedgerMatchesReferenceModelTests
{
    private const int Sequences = 10_000;
    private static readonly DateTimeOffset Start = new(2030, 6, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ten_thousand_random_sequences_agree_with_the_reference_model_step_by_step()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Sequences), Prop.ForAll(Scenario.Arbitrary, Replay));
    }

    [Fact]
    public void The_comparison_catches_a_ledger_that_differs_from_the_model()
    {
        // The checker itself must be able to fail: a ledger that already holds an entry the model never saw
        // (here an adjustment of one credit) is caught at the first step.
        var scenario = new Scenario(
        [
            new ScenarioStep(new ModelOp(ModelOpKind.Open, "~open")),
            new ScenarioStep(new ModelOp(ModelOpKind.Deposit, "d", 10)),
        ]);
        var ledger = AccountLedger.CreateNew("acc", 1_000);
        ledger.Execute(new Grid.Ledger.Commands.OpenAccount(), Start);
        ledger.Execute(new Grid.Ledger.Commands.Adjust("sneaky", 1, "drift"), Start);
        var mismatch = Assert.Throws<ModelMismatchException>(() => Replay(scenario, ledger));
        Assert.Contains("step 0", mismatch.Message, StringComparison.Ordinal);
    }

    private static void Replay(Scenario scenario) => Replay(scenario, AccountLedger.CreateNew("acc", scenario.WindowCapacity));

    private static void Replay(Scenario scenario, AccountLedger ledger)
    {
        var model = new ReferenceAccount();
        var journal = new List<JournalEntry>();
        var trace = new StringBuilder();
        var now = Start;
        for (var i = 0; i < scenario.Steps.Count; i++)
        {
            var step = scenario.Steps[i];
            var check = new StepCheck(i, step, trace);
            if (step.Restart)
            {
                // What an activation does: the stored snapshot plus the latest entries (newest first, as the store reads them).
                // A graceful stop lets writes in flight finish first.
                if (ledger.Sequence > ledger.DurableSequence)
                {
                    ledger.MarkDurable(ledger.Sequence);
                }

                ledger = ledger.IsOpen
                    ? AccountLedger.Restore(ledger.ToSnapshot(), Enumerable.Reverse(journal).Take(scenario.WindowCapacity).ToList(), scenario.WindowCapacity)
                    : AccountLedger.CreateNew("acc", scenario.WindowCapacity);
                trace.AppendLine($"  {i,2}: {step}");
            }
            else if (step.Op is null)
            {
                now = now.AddSeconds(step.AdvanceSeconds);
                if (step.ExpireAfterAdvance)
                {
                    var expired = Expire(model, ledger, now, journal, check);
                    trace.AppendLine($"  {i,2}: {step} -> {expired} expired");
                }
                else
                {
                    trace.AppendLine($"  {i,2}: {step}");
                }
            }
            else
            {
                LedgerOutcome? outcome = null;
                LedgerException? refusal = null;
                var command = step.Op.ToLedger();
                try
                {
                    // As the grain does: ids the window cannot vouch for are looked up in the journal first. The
                    // look-up may see entries committed but not yet confirmed to the ledger (durability lag).
                    var unknown = ledger.UnknownIds(command);
                    ledger.Remember(journal.Where(e => unknown.Contains(e.OperationId)).ToList());
                    if (scenario.ExpireBeforeCommands && Expire(model, ledger, now, journal, check) is > 0 and var expired)
                    {
                        trace.AppendLine($"      ({expired} expired first)");
                    }

                    outcome = ledger.Execute(command, now);
                }
                catch (LedgerException refused)
                {
                    refusal = refused;
                }

                var expected = model.Execute(step.Op, now);
                trace.AppendLine($"  {i,2}: {step} -> {Describe(outcome, refusal)}");
                check.Outcome(expected, outcome, refusal);
                if (outcome is { Replayed: false } done)
                {
                    journal.Add(done.Entry);
                }
            }

            if (ledger.Sequence > ledger.DurableSequence && (!scenario.DurabilityLag || i % 3 == 2))
            {
                ledger.MarkDurable(ledger.Sequence); // the store confirms what was written so far
            }

            check.State(model, ledger);
            check.Invariants(ledger, journal);
        }
    }

    /// <summary>ExpireDue on both sides; the entries must agree.</summary>
    private static int Expire(ReferenceAccount model, AccountLedger ledger, DateTimeOffset now, List<JournalEntry> journal, StepCheck check)
    {
        var expected = model.ExpireDue(now);
        var actual = ledger.ExpireDue(now);
        check.That(expected.Count == actual.Count, $"model expired {expected.Count} holds, ledger {actual.Count}");
        foreach (var (want, got) in expected.Zip(actual))
        {
            check.Entry(want, got);
        }

        journal.AddRange(actual);
        return actual.Count;
    }

    private static string Describe(LedgerOutcome? outcome, LedgerException? refusal) => refusal is not null
        ? $"refused {refusal.Code}{(refusal.Field is null ? "" : $" ({refusal.Field})")}"
        : $"{(outcome!.Value.Replayed ? "replayed" : "ok")} #{outcome.Value.Entry.Sequence} {Name(outcome.Value.Entry.Kind)} -> {outcome.Value.Entry.AvailableAfter}/{outcome.Value.Entry.HeldAfter}";

    private static string Name(JournalEntryKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Compares one step; the first disagreement throws with the steps so far.</summary>
    private sealed class StepCheck(int index, ScenarioStep step, StringBuilder trace)
    {
        public void That(bool condition, string what)
        {
            if (!condition)
            {
                throw new ModelMismatchException($"step {index} ({step}): {what}\nsteps run:\n{trace}");
            }
        }

        public void Outcome(ModelOutcome expected, LedgerOutcome? outcome, LedgerException? refusal)
        {
            if (expected.ErrorCode is { } code)
            {
                That(refusal is not null, $"model refuses with {code}, ledger accepted");
                That(refusal!.Code == code, $"model refuses with {code}, ledger with {refusal.Code}: {refusal.Message}");
                if (code is LedgerErrorCodes.ValidationFailed or LedgerErrorCodes.IdempotencyConflict)
                {
                    That(refusal.Field == expected.ErrorField, $"{code} on field {expected.ErrorField}, ledger names {refusal.Field}");
                }

                if (code == LedgerErrorCodes.NegativeBalance)
                {
                    That(refusal.Available == expected.Available, $"negative_balance reports {refusal.Available}, model {expected.Available}");
                }

                if (code == LedgerErrorCodes.InsufficientFunds)
                {
                    That((refusal.Available, refusal.Required) == (expected.Available, expected.Required),
                        $"insufficient_funds reports {refusal.Available}/{refusal.Required}, model {expected.Available}/{expected.Required}");
                }

                return;
            }

            That(refusal is null, $"model accepts ({expected}), ledger refused {refusal?.Code} ({refusal?.Field}): {refusal?.Message}");
            var actual = outcome!.Value;
            That(actual.Replayed == expected.Replayed, $"replayed: model {expected.Replayed}, ledger {actual.Replayed}");
            That(actual.AutoReloadWanted == expected.AutoReloadWanted, $"auto-reload: model {expected.AutoReloadWanted}, ledger {actual.AutoReloadWanted}");
            Entry(expected.Entry!, actual.Entry);
        }

        public void Entry(ModelEntry want, JournalEntry got)
        {
            var actual = new ModelEntry(
                got.Sequence, Name(got.Kind), got.Amount, got.Released, got.AvailableAfter, got.HeldAfter, got.OperationId,
                got.HoldId, got.HoldAmount, got.HoldCaptured, got.ExpiresAt, got.Reference, got.Metadata, got.At);
            That(want == actual, $"journal entry differs\n  model:  {want}\n  ledger: {actual}");
        }

        public void State(ReferenceAccount model, AccountLedger ledger)
        {
            That(ledger.Balance == new Balance(model.Available, model.Held, model.Sequence),
                $"balance: model {model.Available}/{model.Held} #{model.Sequence}, ledger {ledger.Balance}");
            var status = model.Status switch { "frozen" => AccountStatus.Frozen, "closed" => AccountStatus.Closed, _ => AccountStatus.Active };
            That(ledger.Status == status, $"status: model {model.Status}, ledger {ledger.Status}");
            That((ledger.InDebt, ledger.DebtFloor) == (model.InDebt, model.OwedUpTo),
                $"in debt: model {model.InDebt} up to {model.OwedUpTo}, ledger {ledger.InDebt} up to {ledger.DebtFloor}");

            var snapshot = ledger.ToSnapshot();
            That((snapshot.InDebt, snapshot.DebtFloor) == (model.InDebt, model.OwedUpTo),
                $"snapshot in debt: model {model.InDebt} up to {model.OwedUpTo}, snapshot {snapshot.InDebt} up to {snapshot.DebtFloor}");
            var totals = new LedgerTotals(model.Deposited, model.Reversed, model.Debited, model.Captured, model.Refunded, model.Adjusted);
            That(snapshot.Totals == totals, $"totals: model {totals}, ledger {snapshot.Totals}");
            if (model.Opened)
            {
                var settings = new AccountSettings(model.OverdraftLimit, model.MaxOpenHolds, model.AutoReloadThreshold);
                That(snapshot.Settings == settings, $"settings: model {settings}, ledger {snapshot.Settings}");
            }

            var expectedHolds = model.OpenHolds.OrderBy(h => h.Id, StringComparer.Ordinal)
                .Select(h => $"{h.Id}:{h.Amount}:{h.Captured}:{h.ExpiresAt:O}:{h.Reference}:{h.CreatedAt:O}");
            var actualHolds = snapshot.OpenHolds.OrderBy(h => h.Id, StringComparer.Ordinal)
                .Select(h => $"{h.Id}:{h.Amount}:{h.Captured}:{h.ExpiresAt:O}:{h.Reference}:{h.CreatedAt:O}");
            That(expectedHolds.SequenceEqual(actualHolds), $"open holds: model [{string.Join(", ", expectedHolds)}], ledger [{string.Join(", ", actualHolds)}]");
            That(ledger.NextExpiry == model.OpenHolds.Min(h => h.ExpiresAt), $"next expiry: ledger {ledger.NextExpiry}");
        }

        /// <summary>DESIGN.md section 4, checked on what the ledger itself reported.</summary>
        public void Invariants(AccountLedger ledger, List<JournalEntry> journal)
        {
            var snapshot = ledger.ToSnapshot();
            That(snapshot.OpenHolds.Sum(h => h.Amount - h.Captured) == snapshot.Held, "held is not the sum of open holds' remaining amounts");
            That(snapshot.OpenHolds.All(h => h.Captured >= 0 && h.Captured < h.Amount), "an open hold is used up or over-captured");

            long available = 0, held = 0, net = 0;
            for (var k = 0; k < journal.Count; k++)
            {
                var entry = journal[k];
                That(entry.Sequence == k + 1, $"journal sequence {entry.Sequence} at position {k}");
                var (movement, heldChange) = entry.Kind switch
                {
                    JournalEntryKind.Deposit => (entry.Amount, 0L),
                    JournalEntryKind.Adjustment => (entry.Amount, 0L),
                    JournalEntryKind.Debit or JournalEntryKind.Refund or JournalEntryKind.Reversal => (-entry.Amount, 0L),
                    JournalEntryKind.Hold => (0L, entry.Amount),
                    JournalEntryKind.Capture => (-entry.Amount, -entry.Amount - entry.Released),
                    JournalEntryKind.Void or JournalEntryKind.Expire => (0L, -entry.Released),
                    _ => (0L, 0L),
                };
                net += movement;
                held += heldChange;
                available += movement - heldChange;
                That((entry.AvailableAfter, entry.HeldAfter) == (available, held),
                    $"entry #{entry.Sequence} says {entry.AvailableAfter}/{entry.HeldAfter}, the journal before it adds up to {available}/{held}");
                That(held >= 0, $"entry #{entry.Sequence} took held below zero");
                if (entry.Kind == JournalEntryKind.Refund)
                {
                    That(entry.AvailableAfter >= 0, $"refund #{entry.Sequence} took available to {entry.AvailableAfter}");
                }
            }

            // deposits - reversals - debits - captures - refunds + adjustments = available + held
            That(!snapshot.InDebt || snapshot.Available < snapshot.DebtFloor, $"in debt at {snapshot.Available} available, clearing at {snapshot.DebtFloor}");
            That(net == snapshot.Available + snapshot.Held, $"journal totals {net} but available + held is {snapshot.Available + snapshot.Held}");
            // A forced hold is the rail's and may go past the overdraft; its stored request says so.
            if (journal.Count > 0 && journal[^1].Kind is JournalEntryKind.Debit or JournalEntryKind.Hold
                && !journal[^1].Request.Split('&').Contains("forced=true"))
            {
                That(journal[^1].AvailableAfter >= -snapshot.Settings.OverdraftLimit, $"{Name(journal[^1].Kind)} went beyond the overdraft limit");
            }
        }
    }
}

public sealed class ModelMismatchException(string message) : Exception(message);
