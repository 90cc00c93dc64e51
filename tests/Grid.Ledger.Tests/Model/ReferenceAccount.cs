using System.Text.RegularExpressions;

namespace Grid.Ledger.Tests.Model;

/// <summary>
/// A deliberately naive account written from DESIGN.md section 4 and API.md, sharing no code with
/// Grid.Ledger: balances as two numbers, holds in a dictionary that keeps closed ones, and every
/// successful operation remembered with its command. The property test runs it next to the real ledger.
/// </summary>
public sealed partial class ReferenceAccount
{
    public const long MaxAmount = 9_007_199_254_740_991; // API.md: the largest integer JavaScript holds exactly

    private readonly Dictionary<string, ModelHold> _holds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ModelOp Op, ModelEntry Entry)> _done = new(StringComparer.Ordinal);

    public bool Opened { get; private set; }

    public string Status { get; private set; } = "none";

    public long Available { get; private set; }

    public long Held { get; private set; }

    public long Sequence { get; private set; }

    /// <summary>A reversal or a forced hold left available below zero, and nothing has brought it back to <see cref="OwedUpTo"/> since.</summary>
    public bool InDebt { get; private set; }

    /// <summary>
    /// In debt: the available the account had just before the rail's entry that put it in debt, capped at zero (what
    /// it spent of its own overdraft is not the rail's to claim back). Zero when not in debt.
    /// </summary>
    public long OwedUpTo { get; private set; }

    public long OverdraftLimit { get; private set; }

    public int MaxOpenHolds { get; private set; } = 1_000;

    public long? AutoReloadThreshold { get; private set; }

    public long Deposited { get; private set; }

    public long Reversed { get; private set; }

    public long Debited { get; private set; }

    public long Captured { get; private set; }

    public long Refunded { get; private set; }

    public long Adjusted { get; private set; }

    public IEnumerable<ModelHold> OpenHolds => _holds.Values.Where(h => h.Status == "open");

    public ModelOutcome Execute(ModelOp op, DateTimeOffset now)
    {
        if (Invalid(op) is { } field)
        {
            return ModelOutcome.Refused("validation_failed", field);
        }

        if (op.Kind == ModelOpKind.Open)
        {
            if (Opened)
            {
                return ModelOutcome.Refused("already_exists", "id");
            }

            Opened = true;
            Status = "active";
            OverdraftLimit = op.OverdraftLimit;
            AutoReloadThreshold = op.AutoReloadThreshold;
            return Write(op, "open", 0, 0, Available, Held, now, operationId: "~open");
        }

        if (_done.TryGetValue(op.OperationId, out var earlier))
        {
            if (earlier.Op.Kind != op.Kind)
            {
                return ModelOutcome.Refused("idempotency_conflict", "operationId");
            }

            var differing = Fields(op).Zip(Fields(earlier.Op)).FirstOrDefault(pair => !Equals(pair.First.Value, pair.Second.Value));
            return differing.First.Name is { } name
                ? ModelOutcome.Refused("idempotency_conflict", name)
                : new ModelOutcome(earlier.Entry, Replayed: true);
        }

        if (!Opened)
        {
            return ModelOutcome.Refused("not_found", "accountId");
        }

        if (Status == "closed")
        {
            return ModelOutcome.Refused("account_closed");
        }

        try
        {
            return Apply(op, now);
        }
        catch (OverflowException)
        {
            return ModelOutcome.Refused("validation_failed", "amount");
        }
    }

    /// <summary>Expires open holds whose time has come, earliest expiry first (ties by id).</summary>
    public IReadOnlyList<ModelEntry> ExpireDue(DateTimeOffset now)
    {
        var due = OpenHolds.Where(h => h.ExpiresAt <= now).OrderBy(h => h.ExpiresAt).ThenBy(h => h.Id, StringComparer.Ordinal).ToList();
        var entries = new List<ModelEntry>();
        foreach (var hold in due)
        {
            var released = hold.Amount - hold.Captured;
            hold.Status = "expired";
            entries.Add(Write(null, "expire", 0, released, Available + released, Held - released, now, hold, "~expire:" + hold.Id).Entry!);
        }

        return entries;
    }

    private ModelOutcome Apply(ModelOp op, DateTimeOffset now)
    {
        switch (op.Kind)
        {
            case ModelOpKind.Deposit:
            {
                var (total, available) = (checked(Deposited + op.Amount), checked(Available + op.Amount));
                Deposited = total;
                return Write(op, "deposit", op.Amount, 0, available, Held, now);
            }

            case ModelOpKind.Debit:
                if (Status == "frozen")
                {
                    return ModelOutcome.Refused("account_frozen");
                }

                if (InDebt)
                {
                    return new ModelOutcome(null, ErrorCode: "negative_balance", Available: Available);
                }

                if (Spending(op.Amount, -OverdraftLimit) is { } debitRefusal)
                {
                    return debitRefusal;
                }

                Debited = checked(Debited + op.Amount);
                return Write(op, "debit", op.Amount, 0, Available - op.Amount, Held, now);

            case ModelOpKind.Refund:
                if (Spending(op.Amount, 0) is { } refundRefusal)
                {
                    return refundRefusal;
                }

                Refunded = checked(Refunded + op.Amount);
                return Write(op, "refund", op.Amount, 0, Available - op.Amount, Held, now);

            case ModelOpKind.Reverse:
            {
                var (total, available) = (checked(Reversed + op.Amount), checked(Available - op.Amount));
                Reversed = total;
                return Write(op, "reversal", op.Amount, 0, available, Held, now);
            }

            case ModelOpKind.Adjust:
            {
                var (total, available) = (checked(Adjusted + op.Amount), checked(Available + op.Amount));
                Adjusted = total;
                return Write(op, "adjustment", op.Amount, 0, available, Held, now, reference: op.Reason);
            }

            case ModelOpKind.Hold:
                // A forced hold (the rail's) goes on a frozen or indebted account, below any floor and past the hold limit.
                if (!op.Forced && Status == "frozen")
                {
                    return ModelOutcome.Refused("account_frozen");
                }

                if (!op.Forced && InDebt)
                {
                    return new ModelOutcome(null, ErrorCode: "negative_balance", Available: Available);
                }

                if (!op.Forced && OpenHolds.Count() >= MaxOpenHolds)
                {
                    return ModelOutcome.Refused("too_many_holds");
                }

                if (!op.Forced && Spending(op.Amount, -OverdraftLimit) is { } holdRefusal)
                {
                    return holdRefusal;
                }

            {
                var (available, held) = (checked(Available - op.Amount), checked(Held + op.Amount));
                var hold = new ModelHold(op.OperationId, op.Amount, op.ExpiresInSeconds is { } s ? now.AddSeconds(s) : null, op.Reference, now);
                _holds.Add(hold.Id, hold);
                return Write(op, "hold", op.Amount, 0, available, held, now, hold);
            }

            case ModelOpKind.Capture:
            {
                if (Resolvable(op.HoldId!, now) is { } refusal)
                {
                    return refusal;
                }

                var target = _holds[op.HoldId!];
                var left = target.Amount - target.Captured;
                if (op.Amount > left)
                {
                    return ModelOutcome.Refused("validation_failed", "amount");
                }

                target.Captured += op.Amount;
                var released = op.Final ? left - op.Amount : 0;
                if (op.Final || target.Captured == target.Amount)
                {
                    target.Status = "captured";
                }

                Captured += op.Amount;
                return Write(op, "capture", op.Amount, released, Available + released, Held - op.Amount - released, now, target);
            }

            case ModelOpKind.Void:
            {
                if (Resolvable(op.HoldId!, now) is { } refusal)
                {
                    return refusal;
                }

                var target = _holds[op.HoldId!];
                var released = target.Amount - target.Captured;
                target.Status = "voided";
                return Write(op, "void", 0, released, Available + released, Held - released, now, target);
            }

            case ModelOpKind.Freeze:
                if (Status != "active")
                {
                    return ModelOutcome.Refused("invalid_state");
                }

                Status = "frozen";
                return Write(op, "freeze", 0, 0, Available, Held, now, reference: op.Reason);

            case ModelOpKind.Unfreeze:
                if (Status != "frozen")
                {
                    return ModelOutcome.Refused("invalid_state");
                }

                Status = "active";
                return Write(op, "unfreeze", 0, 0, Available, Held, now);

            case ModelOpKind.Close:
                if (Available != 0 || Held != 0)
                {
                    return ModelOutcome.Refused("account_not_empty");
                }

                if (AutoReloadThreshold is not null)
                {
                    return ModelOutcome.Refused("invalid_state"); // an account that reloads itself is not closed
                }

                Status = "closed";
                return Write(op, "close", 0, 0, 0, 0, now);

            case ModelOpKind.Settings:
                OverdraftLimit = op.OverdraftLimit;
                MaxOpenHolds = op.MaxOpenHolds;
                AutoReloadThreshold = op.AutoReloadThreshold;
                return Write(op, "settings", 0, 0, Available, Held, now);

            default:
                throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    /// <summary>Refusal for spending <paramref name="amount"/> down to <paramref name="floor"/>, or null when it fits.</summary>
    private ModelOutcome? Spending(long amount, long floor)
    {
        if (Status == "frozen")
        {
            return ModelOutcome.Refused("account_frozen");
        }

        return checked(Available - amount) < floor
            ? new ModelOutcome(null, ErrorCode: "insufficient_funds", Available: Available, Required: amount)
            : null;
    }

    /// <summary>A hold can be captured or voided only if it exists, is open and its expiry has not come.</summary>
    private ModelOutcome? Resolvable(string holdId, DateTimeOffset now)
    {
        if (!_holds.TryGetValue(holdId, out var hold))
        {
            return ModelOutcome.Refused("not_found", "holdId");
        }

        return hold.Status != "open" || hold.ExpiresAt <= now ? ModelOutcome.Refused("hold_closed", "holdId") : null;
    }

    private ModelOutcome Write(
        ModelOp? op, string kind, long amount, long released, long available, long held, DateTimeOffset now,
        ModelHold? hold = null, string? operationId = null, string? reference = null)
    {
        var before = Available;
        Sequence++;
        var entry = new ModelEntry(
            Sequence, kind, amount, released, available, held, operationId ?? op!.OperationId,
            hold?.Id, hold?.Amount, hold?.Captured, hold?.ExpiresAt,
            hold?.Reference ?? reference ?? op?.Reference, hold is null ? op?.Metadata : null, now);
        Available = available;
        Held = held;
        var imposed = kind == "reversal" || (kind == "hold" && op!.Forced);
        if (!InDebt && imposed && available < 0)
        {
            InDebt = true;
            OwedUpTo = Math.Min(0, before);
        }
        else if (InDebt && available >= OwedUpTo)
        {
            InDebt = false;
            OwedUpTo = 0;
        }

        if (op is not null && op.Kind != ModelOpKind.Open)
        {
            _done.Add(op.OperationId, (op, entry));
        }

        var wantsReload = AutoReloadThreshold is { } threshold && before >= threshold && available < threshold;
        return new ModelOutcome(entry, AutoReloadWanted: wantsReload);
    }

    /// <summary>The arguments a repeated operation id is compared on, in the order a conflict reports them.</summary>
    private static IEnumerable<(string Name, object? Value)> Fields(ModelOp op) => op.Kind switch
    {
        ModelOpKind.Deposit or ModelOpKind.Debit or ModelOpKind.Refund or ModelOpKind.Reverse =>
            [("amount", op.Amount), ("reference", op.Reference), ("metadata", op.Metadata)],
        ModelOpKind.Adjust => [("amount", op.Amount), ("reason", op.Reason)],
        // The ledger stores a hold's expiry in milliseconds and names the field accordingly.
        ModelOpKind.Hold => [("amount", op.Amount), ("expiresInMs", op.ExpiresInSeconds * 1000L), ("reference", op.Reference), ("forced", op.Forced)],
        ModelOpKind.Capture => [("holdId", op.HoldId), ("amount", op.Amount), ("final", op.Final)],
        ModelOpKind.Void => [("holdId", op.HoldId)],
        ModelOpKind.Freeze => [("reason", op.Reason)],
        ModelOpKind.Settings => [("overdraftLimit", op.OverdraftLimit), ("maxOpenHolds", op.MaxOpenHolds), ("autoReloadThreshold", op.AutoReloadThreshold)],
        _ => [],
    };

    /// <summary>The first malformed argument, or null.</summary>
    private static string? Invalid(ModelOp op)
    {
        if (op.Kind == ModelOpKind.Open)
        {
            return op.OverdraftLimit is < 0 or > MaxAmount ? "overdraftLimit"
                : op.AutoReloadThreshold is < 1 or > MaxAmount ? "autoReloadThreshold"
                : null;
        }

        if (!OperationIdPattern().IsMatch(op.OperationId))
        {
            return "operationId";
        }

        return op.Kind switch
        {
            ModelOpKind.Deposit or ModelOpKind.Debit or ModelOpKind.Refund or ModelOpKind.Reverse =>
                op.Amount is < 1 or > MaxAmount ? "amount"
                : BadText(op.Reference, 256) ? "reference"
                : BadText(op.Metadata, 4_096) ? "metadata"
                : null,
            ModelOpKind.Adjust =>
                op.Amount == 0 || op.Amount < -MaxAmount || op.Amount > MaxAmount ? "amount"
                : string.IsNullOrWhiteSpace(op.Reason) || op.Reason.Length > 256 ? "reason"
                : null,
            ModelOpKind.Hold =>
                op.Amount is < 1 or > MaxAmount ? "amount"
                : op.ExpiresInSeconds is < 1 or > 30 * 24 * 3600 ? "expiresInSeconds"
                : BadText(op.Reference, 256) ? "reference"
                : null,
            ModelOpKind.Capture =>
                op.HoldId is null || !OperationIdPattern().IsMatch(op.HoldId) ? "holdId"
                : op.Amount is < 0 or > MaxAmount ? "amount"
                : null,
            ModelOpKind.Void => op.HoldId is null || !OperationIdPattern().IsMatch(op.HoldId) ? "holdId" : null,
            ModelOpKind.Freeze => BadText(op.Reason, 256) ? "reason" : null,
            ModelOpKind.Settings =>
                op.OverdraftLimit is < 0 or > MaxAmount ? "overdraftLimit"
                : op.MaxOpenHolds is < 1 or > 10_000 ? "maxOpenHolds"
                : op.AutoReloadThreshold is < 1 or > MaxAmount ? "autoReloadThreshold"
                : null,
            _ => null,
        };
    }

    private static bool BadText(string? text, int maxLength) => text is not null && (text.Length == 0 || text.Length > maxLength);

    [GeneratedRegex(@"\A[A-Za-z0-9_.:-]{1,128}\z")]
    private static partial Regex OperationIdPattern();
}

/// <summary>A hold in the model; it stays in the account's dictionary after it closes.</summary>
public sealed class ModelHold(string id, long amount, DateTimeOffset? expiresAt, string? reference, DateTimeOffset createdAt)
{
    public string Id { get; } = id;

    public long Amount { get; } = amount;

    public long Captured { get; set; }

    public string Status { get; set; } = "open";

    public DateTimeOffset? ExpiresAt { get; } = expiresAt;

    public string? Reference { get; } = reference;

    public DateTimeOffset CreatedAt { get; } = createdAt;
}
