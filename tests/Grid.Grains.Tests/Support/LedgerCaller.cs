using System.Collections.Concurrent;
using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;

namespace Grid.Grains.Tests.Support;

/// <summary>What every caller was told: the entry acknowledged for each (account, operation id).</summary>
public sealed class Acknowledgements
{
    public ConcurrentDictionary<(string Account, string OperationId), JournalEntry> Entries { get; } = new();

    public ConcurrentQueue<string> Surprises { get; } = new();

    public int Replays;
    public int Refusals;
    public int Retries;

    /// <summary>Records an acknowledged entry; a second acknowledgement of the same id must be the very same entry.</summary>
    public void Record(string account, JournalEntry entry)
    {
        var first = Entries.GetOrAdd((account, entry.OperationId), entry);
        if (!Equals(first, entry))
        {
            Surprises.Enqueue($"{account}/{entry.OperationId} acknowledged as #{first.Sequence} and as #{entry.Sequence}");
        }
    }
}

/// <summary>
/// One client of the grid: a deterministic random mix of deposits, debits, holds, partial and final captures,
/// voids, refunds, repeats of its own operations (same and different arguments) and duplicate sends in
/// flight at once. It settles only holds it placed itself, so it always knows what is left on them.
/// </summary>
public sealed class LedgerCaller(LedgerSilo silo, IReadOnlyList<string> accounts, int caller, Acknowledgements acks)
{
    private readonly Random _random = new(caller * 7_919 + 17);
    private readonly List<(string Account, string HoldId, long Amount, long Captured, bool Expires)> _holds = [];
    private readonly List<(string Account, LedgerCommand Command)> _acknowledged = [];

    public async Task RunAsync(int operations)
    {
        for (var i = 0; i < operations; i++)
        {
            var account = accounts[_random.Next(accounts.Count)];
            var id = $"c{caller}-{i}";
            var roll = _random.Next(100);
            switch (roll)
            {
                case < 22:
                    await SendAsync(account, new Deposit(id, _random.Next(1, 350), "pay"));
                    break;
                case < 40:
                    await SendAsync(account, new Debit(id, _random.Next(1, 300)));
                    break;
                case < 54:
                    var expiresIn = _random.Next(5) == 0 ? TimeSpan.FromSeconds(_random.Next(1, 3)) : (TimeSpan?)null;
                    await SendAsync(account, new PlaceHold(id, _random.Next(1, 300), expiresIn));
                    break;
                case < 72 when _holds.Count > 0:
                    var (holdAccount, holdId, amount, captured, _) = _holds[_random.Next(_holds.Count)];
                    var final = roll >= 62;
                    await SendAsync(holdAccount, new CaptureHold(id, holdId, _random.NextInt64(0, amount - captured + 1), final));
                    break;
                case < 77 when _holds.Count > 0:
                    var toVoid = _holds[_random.Next(_holds.Count)];
                    await SendAsync(toVoid.Account, new VoidHold(id, toVoid.HoldId));
                    break;
                case < 77:
                    await SendAsync(account, new PlaceHold(id, _random.Next(1, 300))); // nothing to settle yet
                    break;
                case < 82:
                    await SendAsync(account, new Refund(id, _random.Next(1, 100)));
                    break;
                case < 92 when _acknowledged.Count > 0:
                    var (sameAccount, earlier) = _acknowledged[_random.Next(_acknowledged.Count)];
                    await RepeatAsync(sameAccount, earlier);
                    break;
                case < 96:
                    await SendTwiceAtOnceAsync(account, new Debit(id, _random.Next(1, 50), "dup"));
                    break;
                case < 98 when _acknowledged.Count > 0:
                    var (conflictAccount, original) = _acknowledged[_random.Next(_acknowledged.Count)];
                    await ConflictAsync(conflictAccount, original);
                    break;
                default:
                    await SendAsync(account, new Adjust(id, _random.Next(-50, 50) | 1, "ops"));
                    break;
            }
        }
    }

    private async Task SendAsync(string account, LedgerCommand command)
    {
        var (result, refusal) = await ExecuteAsync(account, command);
        if (result is not null)
        {
            Acknowledge(account, command, result);
        }
        else
        {
            Refused(account, command, refusal!);
        }
    }

    private async Task RepeatAsync(string account, LedgerCommand command)
    {
        var (result, refusal) = await ExecuteAsync(account, command);
        if (result is null || !result.Replayed)
        {
            acks.Surprises.Enqueue($"{account}/{command.OperationId}: a repeat was {(result is null ? $"refused {refusal!.Code}" : "applied again")}");
            return;
        }

        Interlocked.Increment(ref acks.Replays);
        acks.Record(account, result.Entry);
    }

    private async Task SendTwiceAtOnceAsync(string account, LedgerCommand command)
    {
        // A refusal leaves no trace, so the other copy is judged afresh: it may still go through. What must
        // never happen is two applications, or a refusal other than for funds.
        var both = await Task.WhenAll(ExecuteAsync(account, command), ExecuteAsync(account, command));
        var answered = both.Where(r => r.Result is not null).Select(r => r.Result!).ToList();
        var applied = answered.Where(r => !r.Replayed).ToList();
        if (applied.Count > 1 || (answered.Count > 0 && applied.Count == 0)
            || both.Any(r => r.Refusal is { Code: not LedgerErrorCodes.InsufficientFunds }))
        {
            acks.Surprises.Enqueue($"{account}/{command.OperationId}: sent twice at once, answered {string.Join(" and ", both.Select(r => r.Refusal?.Code ?? (r.Result!.Replayed ? "replayed" : "applied")))}");
            return;
        }

        Interlocked.Add(ref acks.Refusals, both.Count(r => r.Refusal is not null));
        if (applied.Count == 1)
        {
            Acknowledge(account, command, applied[0]);
            foreach (var replay in answered.Where(r => r.Replayed))
            {
                Interlocked.Increment(ref acks.Replays);
                acks.Record(account, replay.Entry);
            }
        }
    }

    /// <summary>An acknowledged operation id sent again with one argument changed: a conflict naming that argument.</summary>
    private async Task ConflictAsync(string account, LedgerCommand original)
    {
        var (changed, field) = original switch
        {
            Deposit d => (d with { Amount = d.Amount + 1 }, "amount"),
            Debit d => (d with { Amount = d.Amount + 1 }, "amount"),
            Refund r => (r with { Reference = "other" }, "reference"),
            Adjust a => (a with { Reason = "other" }, "reason"),
            PlaceHold h => (h with { ExpiresIn = h.ExpiresIn is null ? TimeSpan.FromMinutes(1) : null }, "expiresInMs"),
            CaptureHold c => (c with { Final = !c.Final }, "final"),
            VoidHold v => (v with { HoldId = v.HoldId + "x" }, "holdId"),
            _ => ((LedgerCommand)new Deposit(original.OperationId, 1), "operationId"),
        };
        var (result, refusal) = await ExecuteAsync(account, changed);
        if (refusal is null || refusal.Code != LedgerErrorCodes.IdempotencyConflict || refusal.Field != field)
        {
            acks.Surprises.Enqueue($"{account}/{changed.OperationId}: changed {field} answered {(result is null ? $"{refusal!.Code} ({refusal.Field})" : "ok")}");
        }
    }

    /// <summary>Sends a command; <c>unavailable</c> means nothing was acknowledged, so it is sent again as is.</summary>
    private async Task<(LedgerResult? Result, LedgerException? Refusal)> ExecuteAsync(string account, LedgerCommand command)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await silo.Account(account).Execute(command), null);
            }
            catch (LedgerException refused) when (refused.IsRetryable && attempt < 20)
            {
                Interlocked.Increment(ref acks.Retries);
            }
            catch (LedgerException refused)
            {
                return (null, refused);
            }
        }
    }

    private void Acknowledge(string account, LedgerCommand command, LedgerResult result)
    {
        var entry = result.Entry;
        if (result.Replayed || entry.OperationId != command.OperationId || entry.Request != command.ToRequest())
        {
            acks.Surprises.Enqueue($"{account}/{command.OperationId}: a new command was answered with {(result.Replayed ? "a replay of " : "")}#{entry.Sequence} {entry.OperationId}");
        }

        acks.Record(account, entry);
        _acknowledged.Add((account, command));
        switch (command)
        {
            case PlaceHold hold:
                _holds.Add((account, hold.OperationId, hold.Amount, 0, hold.ExpiresIn is not null));
                break;
            case CaptureHold capture:
                var index = _holds.FindIndex(h => h.Account == account && h.HoldId == capture.HoldId);
                var left = entry.HoldAmount!.Value - entry.HoldCaptured!.Value - entry.Released;
                if (capture.Final || left == 0)
                {
                    _holds.RemoveAt(index);
                }
                else
                {
                    _holds[index] = _holds[index] with { Captured = entry.HoldCaptured.Value };
                }

                break;
            case VoidHold @void:
                _holds.RemoveAll(h => h.Account == account && h.HoldId == @void.HoldId);
                break;
        }
    }

    private void Refused(string account, LedgerCommand command, LedgerException refusal)
    {
        Interlocked.Increment(ref acks.Refusals);
        switch (command, refusal.Code)
        {
            case (Debit or PlaceHold or Refund, LedgerErrorCodes.InsufficientFunds):
                break;
            case (CaptureHold or VoidHold, LedgerErrorCodes.HoldClosed):
                // Only expiry closes a hold behind its owner's back.
                var holdId = command is CaptureHold c ? c.HoldId : ((VoidHold)command).HoldId;
                if (!_holds.Any(h => h.Account == account && h.HoldId == holdId && h.Expires))
                {
                    acks.Surprises.Enqueue($"{account}/{command.OperationId}: hold_closed for {holdId}, which has no expiry");
                }

                _holds.RemoveAll(h => h.Account == account && h.HoldId == holdId);
                break;
            default:
                acks.Surprises.Enqueue($"{account}/{command.OperationId} ({command.GetType().Name}): refused {refusal.Code} ({refusal.Field}): {refusal.Message}");
                break;
        }
    }
}
