using Grid.Contracts.Payments;
using Grid.Ledger.Commands;

namespace Grid.Grains.Payments;

/// <summary>
/// The ledger commands a payment's facts call for, in a fixed order, each with an operation id derived from the
/// payment (and refund total or dispute), so a command is applied once however often it is planned. Handling an
/// event runs the commands its facts add to those planned before it.
/// </summary>
internal static class PaymentPlan
{
    /// <summary>Prefix of the operation ids a card payment uses on its account (reserved: callers may not use it).</summary>
    public const string OperationPrefix = RailOperationIds.CardPrefix;

    public static IReadOnlyList<LedgerCommand> For(string paymentId, PaymentRecord record, PaymentFacts facts)
    {
        var commands = new List<LedgerCommand>();
        if (!facts.Paid)
        {
            return commands; // nothing arrived, so there is nothing to take back either (refunds and disputes wait)
        }

        var prefix = OperationPrefix + paymentId;
        commands.Add(new Deposit(prefix + ":credit", record.Credits, paymentId));

        var reversedBefore = 0L;
        foreach (var total in facts.RefundTotals)
        {
            var reversed = CreditsFor(record, total);
            if (reversed > reversedBefore)
            {
                commands.Add(new Reverse($"{prefix}:refund:{total}", reversed - reversedBefore, paymentId));
            }

            reversedBefore = Math.Max(reversedBefore, reversed);
        }

        foreach (var (disputeId, dispute) in facts.Disputes)
        {
            var held = CreditsFor(record, dispute.AmountCents);
            if (held == 0)
            {
                continue;
            }

            var holdId = $"{prefix}:dispute:{disputeId}";
            commands.Add(new PlaceHold(holdId, held, Reference: paymentId, Forced: true));
            if (dispute.State == DisputeState.Lost)
            {
                // Taken back before the hold lets go: each command is its own durable step, and a release first would
                // leave the disputed credits spendable in between (by a debit racing in, or until Stripe sends the
                // event again after a stop).
                commands.Add(new Reverse(holdId + ":lost", held, paymentId));
            }

            if (dispute.State != DisputeState.Open)
            {
                commands.Add(new VoidHold(holdId + ":close", holdId));
            }
        }

        return commands;
    }

    /// <summary>
    /// The credits that <paramref name="cents"/> of the payment stand for: all of them for the whole amount, else
    /// the proportional part rounded down (a partial refund never takes back more than it paid for).
    /// </summary>
    public static long CreditsFor(PaymentRecord record, long cents)
    {
        if (cents >= record.AmountCents)
        {
            return record.Credits;
        }

        return cents <= 0 ? 0 : (long)((Int128)record.Credits * cents / record.AmountCents);
    }

    /// <summary>What the payment's commands did to its account, for its view.</summary>
    public static (long Credited, long Reversed, long Held) Totals(IReadOnlyList<LedgerCommand> commands)
    {
        long credited = 0, reversed = 0, held = 0;
        var voided = commands.OfType<VoidHold>().Select(v => v.HoldId).ToHashSet(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            switch (command)
            {
                case Deposit deposit:
                    credited += deposit.Amount;
                    break;
                case Reverse reverse:
                    reversed += reverse.Amount;
                    break;
                case PlaceHold hold when !voided.Contains(hold.OperationId):
                    held += hold.Amount;
                    break;
            }
        }

        return (credited, reversed, held);
    }
}
