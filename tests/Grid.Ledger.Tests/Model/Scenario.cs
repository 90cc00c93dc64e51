using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Grid.Ledger.Tests.Model;

/// <summary>
/// One step of a scenario: a command, the clock moving on (optionally followed by ExpireDue), or a restart
/// (the ledger restored from its snapshot and latest entries, as an account grain does on activation).
/// </summary>
public sealed record ScenarioStep(ModelOp? Op, int AdvanceSeconds = 0, bool ExpireAfterAdvance = false, bool Restart = false)
{
    public override string ToString() =>
        Op?.ToString() ?? (Restart ? "restart from snapshot" : $"advance {AdvanceSeconds}s{(ExpireAfterAdvance ? " + ExpireDue" : "")}");
}

/// <summary>
/// A random account history: concrete steps, so a shrunk counterexample reads as a script. Generated from
/// seeds that are resolved once (hold ids refer to holds placed earlier, repeats copy earlier commands).
/// </summary>
/// <param name="windowCapacity">The ledger's idempotency window; a small one makes operation ids leave memory quickly.</param>
/// <param name="expireBeforeCommands">Run ExpireDue right before each command, after the id look-up, as the account grain does.</param>
/// <param name="durabilityLag">Confirm entries durable only every third step, as a store write in flight does.</param>
public sealed class Scenario(
    IReadOnlyList<ScenarioStep> steps, int windowCapacity = 1_000, bool expireBeforeCommands = false, bool durabilityLag = false)
{
    public const int MaxLength = 40;

    public IReadOnlyList<ScenarioStep> Steps { get; } = steps;

    public int WindowCapacity { get; } = windowCapacity;

    public bool ExpireBeforeCommands { get; } = expireBeforeCommands;

    public bool DurabilityLag { get; } = durabilityLag;

    public static Arbitrary<Scenario> Arbitrary { get; } = Arb.From(Generator(), Shrink);

    public override string ToString()
    {
        var text = new StringBuilder().AppendLine(
            $"scenario of {Steps.Count} steps, idempotency window {WindowCapacity}" +
            $"{(ExpireBeforeCommands ? ", ExpireDue before every command" : "")}{(DurabilityLag ? ", durable every third step" : "")}:");
        for (var i = 0; i < Steps.Count; i++)
        {
            text.AppendLine($"  {i,2}: {Steps[i]}");
        }

        return text.ToString();
    }

    private enum SeedKind
    {
        Deposit, Debit, Refund, Reverse, Adjust, Hold, ForcedHold, Capture, Void, Freeze, Unfreeze, Close, Settings, Open,
        Advance, Repeat, RepeatChanged, Invalid, Restart,
    }

    private sealed record Seed(SeedKind Kind, int Id, long Amount, int Pick, bool Flag, int Seconds, int Variant);

    private static Gen<Scenario> Generator()
    {
        var kinds = Gen.Frequency(
            (14, Gen.Constant(SeedKind.Deposit)), (12, Gen.Constant(SeedKind.Debit)), (5, Gen.Constant(SeedKind.Refund)),
            (3, Gen.Constant(SeedKind.Reverse)), (4, Gen.Constant(SeedKind.Adjust)), (14, Gen.Constant(SeedKind.Hold)), (3, Gen.Constant(SeedKind.ForcedHold)),
            (14, Gen.Constant(SeedKind.Capture)), (6, Gen.Constant(SeedKind.Void)), (1, Gen.Constant(SeedKind.Freeze)),
            (2, Gen.Constant(SeedKind.Unfreeze)), (1, Gen.Constant(SeedKind.Close)), (2, Gen.Constant(SeedKind.Settings)),
            (1, Gen.Constant(SeedKind.Open)), (9, Gen.Constant(SeedKind.Advance)), (8, Gen.Constant(SeedKind.Repeat)),
            (5, Gen.Constant(SeedKind.RepeatChanged)), (3, Gen.Constant(SeedKind.Invalid)),
            (2, Gen.Constant(SeedKind.Restart)));
        var amounts = Gen.Frequency(
            (70, Gen.Choose(1, 100).Select(a => (long)a)),
            (27, Gen.Choose(100, 2_000).Select(a => (long)a)),
            (3, Gen.Constant(ReferenceAccount.MaxAmount)));
        var seeds =
            from kind in kinds
            from id in Gen.Choose(0, 99)
            from amount in amounts
            from pick in Gen.Choose(0, 10_000)
            from flag in Gen.Elements(true, false)
            from seconds in Gen.Choose(1, 90)
            from variant in Gen.Choose(0, 9)
            select new Seed(kind, id, amount, pick, flag, seconds, variant);
        var openings = Gen.Frequency(
            (19, from overdraft in Gen.Elements(0L, 0L, 100L, 1_000L)
                 from reload in Gen.Elements<long?>(null, null, 200L)
                 select (ModelOp?)new ModelOp(ModelOpKind.Open, "~open", OverdraftLimit: overdraft, AutoReloadThreshold: reload)),
            (1, Gen.Constant<ModelOp?>(null)));
        return
            from opening in openings
            from length in Gen.Choose(1, MaxLength)
            from body in Gen.ArrayOf(seeds, length)
            from window in Gen.Elements(1_000, 1_000, 4)
            from expireFirst in Gen.Elements(true, false)
            from lag in Gen.Elements(true, false)
            select new Scenario(Resolve(opening, body), window, expireFirst, lag);
    }

    private static IEnumerable<Scenario> Shrink(Scenario scenario)
    {
        var steps = scenario.Steps;
        if (steps.Count > 1)
        {
            yield return scenario.With(steps.Take(steps.Count / 2));
            yield return scenario.With(steps.Skip(steps.Count / 2));
        }

        for (var i = steps.Count - 1; i >= 0; i--)
        {
            yield return scenario.With(steps.Where((_, index) => index != i));
        }
    }

    private Scenario With(IEnumerable<ScenarioStep> steps) => new(steps.ToArray(), WindowCapacity, ExpireBeforeCommands, DurabilityLag);

    private static List<ScenarioStep> Resolve(ModelOp? opening, Seed[] seeds)
    {
        var steps = new List<ScenarioStep>();
        var ops = new List<ModelOp>();
        var holds = new List<ModelOp>();
        if (opening is not null)
        {
            steps.Add(new ScenarioStep(opening));
        }

        for (var i = 0; i < seeds.Length; i++)
        {
            var seed = seeds[i];
            // Mostly fresh ids; a quarter from a small pool, so ids collide across kinds and arguments.
            var id = seed.Id < 75 ? $"f{i}" : $"p{seed.Id % 5}";
            // Settling a hold before any was placed is mostly wasted: place one instead (a tenth stay, for not_found).
            var kind = seed.Kind is SeedKind.Capture or SeedKind.Void && holds.Count == 0 && seed.Variant != 9 ? SeedKind.Hold : seed.Kind;
            var op = kind switch
            {
                SeedKind.Deposit => new ModelOp(ModelOpKind.Deposit, id, DepositAmount(seed), Reference: seed.Variant < 3 ? $"pay_{seed.Variant}" : null, Metadata: seed.Variant == 9 ? "{\"k\":1}" : null),
                SeedKind.Debit => new ModelOp(ModelOpKind.Debit, id, seed.Amount, Reference: seed.Variant < 5 ? "spell" : null),
                SeedKind.Refund => new ModelOp(ModelOpKind.Refund, id, seed.Amount, Reference: seed.Variant < 5 ? "pay_0" : null),
                SeedKind.Reverse => new ModelOp(ModelOpKind.Reverse, id, seed.Amount, Reference: "pay_0"),
                SeedKind.Adjust => new ModelOp(ModelOpKind.Adjust, id, seed.Flag ? seed.Amount : -seed.Amount, Reason: seed.Variant < 5 ? "fix" : "goodwill"),
                SeedKind.Hold => new ModelOp(ModelOpKind.Hold, id, seed.Amount, ExpiresInSeconds: seed.Flag ? seed.Seconds : null, Reference: seed.Variant < 5 ? $"cast-{seed.Variant}" : null),
                SeedKind.ForcedHold => new ModelOp(ModelOpKind.Hold, id, seed.Amount, ExpiresInSeconds: seed.Flag ? seed.Seconds : null, Reference: "dispute", Forced: true),
                SeedKind.Capture => Capture(id, seed, holds),
                SeedKind.Void => new ModelOp(ModelOpKind.Void, id, HoldId: HoldId(seed, holds)),
                SeedKind.Freeze => new ModelOp(ModelOpKind.Freeze, id, Reason: seed.Variant < 5 ? "review" : null),
                SeedKind.Unfreeze => new ModelOp(ModelOpKind.Unfreeze, id),
                SeedKind.Close => new ModelOp(ModelOpKind.Close, id),
                SeedKind.Settings => new ModelOp(
                    ModelOpKind.Settings, id, OverdraftLimit: new[] { 0L, 50L, 500L }[seed.Variant % 3],
                    MaxOpenHolds: new[] { 1, 2, 3, 1_000 }[seed.Pick % 4], AutoReloadThreshold: seed.Variant > 7 ? 100 : null),
                SeedKind.Open => new ModelOp(ModelOpKind.Open, "~open"),
                SeedKind.Repeat => ops.Count > 0 ? ops[seed.Pick % ops.Count] : null,
                SeedKind.RepeatChanged => ops.Count > 0 ? Changed(ops[seed.Pick % ops.Count], seed) : null,
                SeedKind.Invalid => Invalid(id, seed, holds),
                SeedKind.Advance or SeedKind.Restart => null,
                _ => throw new ArgumentOutOfRangeException(nameof(seeds)),
            };

            if (seed.Kind == SeedKind.Advance)
            {
                steps.Add(new ScenarioStep(null, seed.Seconds, ExpireAfterAdvance: seed.Flag || seed.Variant < 7));
                continue;
            }

            if (seed.Kind == SeedKind.Restart)
            {
                steps.Add(new ScenarioStep(null, Restart: true));
                continue;
            }

            if (op is null)
            {
                continue;
            }

            steps.Add(new ScenarioStep(op));
            if (op.Kind != ModelOpKind.Open)
            {
                ops.Add(op);
            }

            if (op.Kind == ModelOpKind.Hold)
            {
                holds.Add(op);
            }
        }

        return steps;
    }

    // Funding outpaces spending a little, so most holds and debits go through and captures find their holds.
    private static long DepositAmount(Seed seed) => seed.Amount < 100 ? seed.Amount * 20 : seed.Amount;

    /// <summary>Mostly one of the last few holds placed (likely still open), sometimes any earlier one or none.</summary>
    private static string HoldId(Seed seed, List<ModelOp> holds)
    {
        if (holds.Count == 0 || seed.Variant == 9)
        {
            return seed.Flag ? "f0" : "no-such-hold"; // "f0" may be an operation that is not a hold
        }

        var index = seed.Pick % 10 < 7 ? holds.Count - 1 - (seed.Pick / 10 % Math.Min(3, holds.Count)) : seed.Pick / 10 % holds.Count;
        return holds[index].OperationId;
    }

    private static ModelOp Capture(string id, Seed seed, List<ModelOp> holds)
    {
        var holdId = HoldId(seed, holds);
        var holdAmount = holds.FirstOrDefault(h => h.OperationId == holdId)?.Amount ?? 100;
        var amount = seed.Variant switch
        {
            0 => 0,
            <= 5 => seed.Amount % (holdAmount + 1),
            6 => holdAmount,
            _ => seed.Amount,
        };
        return new ModelOp(ModelOpKind.Capture, id, amount, HoldId: holdId, Final: seed.Flag);
    }

    /// <summary>An earlier command's id with one argument changed: an idempotency conflict unless that command was refused.</summary>
    private static ModelOp Changed(ModelOp earlier, Seed seed) => earlier.Kind switch
    {
        ModelOpKind.Capture when seed.Flag => earlier with { Final = !earlier.Final },
        ModelOpKind.Capture or ModelOpKind.Void when seed.Variant < 3 => earlier with { HoldId = earlier.HoldId + "x" },
        ModelOpKind.Hold when seed.Flag => earlier with { ExpiresInSeconds = earlier.ExpiresInSeconds is null ? seed.Seconds : null },
        ModelOpKind.Deposit or ModelOpKind.Debit or ModelOpKind.Refund or ModelOpKind.Reverse or ModelOpKind.Hold when seed.Variant < 4 =>
            earlier with { Reference = earlier.Reference is null ? "other" : null },
        ModelOpKind.Hold when seed.Variant < 6 => earlier with { Forced = !earlier.Forced },
        ModelOpKind.Deposit or ModelOpKind.Debit or ModelOpKind.Refund or ModelOpKind.Reverse when seed.Variant < 6 =>
            earlier with { Metadata = earlier.Metadata is null ? "{}" : null },
        ModelOpKind.Adjust or ModelOpKind.Freeze when seed.Variant < 5 => earlier with { Reason = earlier.Reason + "!" },
        ModelOpKind.Settings => earlier with { MaxOpenHolds = earlier.MaxOpenHolds + 1 },
        ModelOpKind.Unfreeze or ModelOpKind.Close or ModelOpKind.Void or ModelOpKind.Freeze =>
            new ModelOp(ModelOpKind.Deposit, earlier.OperationId, 1), // same id, another kind
        _ => earlier with { Amount = earlier.Amount + 1 },
    };

    private static ModelOp Invalid(string id, Seed seed, List<ModelOp> holds) => seed.Variant switch
    {
        0 => new ModelOp(ModelOpKind.Deposit, id, 0),
        1 => new ModelOp(ModelOpKind.Debit, "bad id", seed.Amount),
        2 => new ModelOp(ModelOpKind.Adjust, id, 0, Reason: "zero"),
        3 => new ModelOp(ModelOpKind.Hold, id, seed.Amount, ExpiresInSeconds: 0),
        4 => new ModelOp(ModelOpKind.Capture, id, -1, HoldId: HoldId(seed, holds)),
        5 => new ModelOp(ModelOpKind.Void, id, HoldId: "no/such"),
        6 => new ModelOp(ModelOpKind.Refund, id, seed.Amount, Reference: ""),
        7 => new ModelOp(ModelOpKind.Adjust, id, seed.Amount, Reason: " "),
        8 => new ModelOp(ModelOpKind.Settings, id, MaxOpenHolds: 0),
        _ => new ModelOp(ModelOpKind.Debit, id, ReferenceAccount.MaxAmount + 1),
    };
}
