using Grid.Contracts;
using System.Globalization;
using Grid.Contracts.Accounts;
using Grid.Contracts.Casts;
using Grid.Contracts.Payments;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Casts;

/// <summary>
/// One cast. Not reentrant. Start holds quote plus buffer; complete captures the price (releasing the rest) and
/// debits a price beyond the hold when the account allows, else records it for review; fail and the timeout
/// reminder void the hold. Ledger commands carry ids derived from the cast (<c>cast:&lt;id&gt;:hold</c>,
/// <c>:capture</c>, <c>:shortfall</c>, <c>:void</c>), so every redo is a replay; the ending is written down before
/// the ledger is asked and finished by a redo or by the reminder.
/// </summary>
public sealed class CastGrain(
    [PersistentState("cast")] IPersistentState<CastState> state,
    IUsageStore usage,
    ILogger<CastGrain> logger) : Grain, ICastGrain, IRemindable
{
    public const string TimeoutReminder = "cast-timeout";

    /// <summary>The <see cref="UsageRecord.Source"/> of casts.</summary>
    public const string UsageSource = "cast";

    /// <summary>The ledger's own expiry of the hold comes this long after the cast's timeout: a backstop, never first.</summary>
    private static readonly TimeSpan HoldExpiryMargin = TimeSpan.FromMinutes(5);

    private string CastId => GrainId.Key;

    private CastState State => state.State;

    private DateTimeOffset Now => Context.TimeProvider.GetUtcNow();

    private string HoldId => $"{RailOperationIds.CastPrefix}{CastId}:hold";

    private IAccountGrain Account => GrainFactory.GetGrain<IAccountGrain>(State.AccountId);

    public async Task<CastView> Start(CastStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (start.CastId != CastId)
        {
            throw LedgerException.Invalid("operationId", "The cast id is the start's operation id.");
        }

        var request = string.Create(CultureInfo.InvariantCulture, $"{start.AccountId}|{start.Quote}|{start.BufferPercent}|{start.Kind}|{(long)start.Timeout.TotalSeconds}");
        if (State.Exists)
        {
            if (State.StartRequest != request)
            {
                throw new LedgerException(LedgerErrorCodes.IdempotencyConflict, $"Cast {CastId} was started with another request.", "operationId");
            }

            if (State.Status == CastStatus.Running && State.EndOperationId is null)
            {
                // A start whose answer was lost, perhaps before its reminder was stored: the hold is a replay, the reminder an update.
                await HoldAsync();
                var left = State.TimeoutAt - Now;
                await Context.RegisterOrUpdateReminderAsync(TimeoutReminder, left > TimeSpan.Zero ? left : TimeSpan.Zero, TimeSpan.FromMinutes(1));
            }

            return View();
        }

        state.State = new CastState
        {
            Exists = true,
            AccountId = start.AccountId,
            Kind = start.Kind,
            Quote = start.Quote,
            BufferPercent = start.BufferPercent,
            Held = CastPricing.HoldFor(start.Quote, start.BufferPercent),
            Status = CastStatus.Running,
            CreatedAt = Now,
            TimeoutAt = Now + start.Timeout,
            StartRequest = request,
        };
        try
        {
            await HoldAsync();
        }
        catch (LedgerException refused) when (!refused.IsRetryable)
        {
            state.State = new CastState(); // nothing held, nothing recorded: the same start may be sent again
            throw;
        }

        await state.WriteStateAsync();
        await Context.RegisterOrUpdateReminderAsync(TimeoutReminder, start.Timeout, TimeSpan.FromMinutes(1));
        return View();
    }

    public async Task<CastView> Complete(CastCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var request = string.Create(CultureInfo.InvariantCulture, $"complete|{completion.Price}|{completion.ProviderCost}|{completion.Markup}");
        if (AlreadyEnded(completion.OperationId, request) is { } ended)
        {
            return await ended;
        }

        State.EndOperationId = completion.OperationId;
        State.EndRequest = request;
        State.ProviderCost = completion.ProviderCost;
        if (completion.Price is { } price)
        {
            State.Price = price;
            State.Status = CastStatus.Completed;
        }
        else if (completion.ProviderCost is { } cost)
        {
            State.Price = CastPricing.PriceFor(cost, completion.Markup);
            State.Status = CastStatus.Completed;
        }
        else
        {
            State.Status = CastStatus.NeedsReview;
            State.Reason = "no price and no provider cost: nothing charged";
        }

        return await EndAsync();
    }

    public async Task<CastView> Fail(CastFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (AlreadyEnded(failure.OperationId, "fail|" + failure.Reason) is { } ended)
        {
            return await ended;
        }

        State.EndOperationId = failure.OperationId;
        State.EndRequest = "fail|" + failure.Reason;
        State.Status = CastStatus.Failed;
        State.Reason = failure.Reason;
        return await EndAsync();
    }

    public Task<CastView?> Get() => Task.FromResult(State.Exists ? View() : null);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != TimeoutReminder)
        {
            return;
        }

        if (!State.Exists || (State.EndOperationId is not null && !State.Ending))
        {
            // Nothing to time out: a start that failed after its reminder, or an ending whose unregistering was lost.
            await Context.UnregisterReminderAsync(TimeoutReminder);
            return;
        }

        if (State.Ending)
        {
            await EndAsync(); // an ending whose ledger work was cut short
            return;
        }

        if (State.Status == CastStatus.Running && Now >= State.TimeoutAt)
        {
            State.EndOperationId = $"~timeout:{CastId}";
            State.Status = CastStatus.TimedOut;
            State.Reason = "ran past its timeout";
            await EndAsync();
        }
    }

    /// <summary>The answer for an operation that ends a cast already ended or ending; null when this one may end it.</summary>
    private Task<CastView>? AlreadyEnded(string operationId, string request)
    {
        if (!State.Exists)
        {
            throw new LedgerException(LedgerErrorCodes.NotFound, $"There is no cast {CastId}.", "id");
        }

        if (State.EndOperationId is null)
        {
            return null;
        }

        if (State.EndOperationId != operationId)
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Cast {CastId} already ended ({StatusNames.Of(State.Status)}).", "id");
        }

        if (State.EndRequest != request)
        {
            throw new LedgerException(LedgerErrorCodes.IdempotencyConflict, $"Operation {operationId} ended cast {CastId} with another request.", "operationId");
        }

        return State.Ending ? EndAsync() : Task.FromResult(View());
    }

    /// <summary>Writes the decided ending down, then runs its ledger commands (each a replay when redone), then marks it done.</summary>
    private async Task<CastView> EndAsync()
    {
        State.Ending = true;
        await state.WriteStateAsync();
        var held = State.Held;
        if (State.Status == CastStatus.Completed && State.Price is { } price)
        {
            var captured = Math.Min(price, held);
            try
            {
                await Account.Execute(new CaptureHold($"{RailOperationIds.CastPrefix}{CastId}:capture", HoldId, captured));
                State.Charged = captured;
                State.Refunded = held - captured;
            }
            catch (LedgerException closed) when (closed.Code == LedgerErrorCodes.HoldClosed)
            {
                // The ledger's expiry released the hold first (the cast's reminder was late): nothing is taken after the fact.
                State.Status = CastStatus.NeedsReview;
                State.Refunded = held;
                State.Reason = "the hold had expired before the cast completed: nothing charged";
                logger.LogWarning("Cast {CastId}: {Reason}", CastId, State.Reason);
            }

            if (State.Status == CastStatus.Completed && price > held)
            {
                try
                {
                    await Account.Execute(new Debit($"{RailOperationIds.CastPrefix}{CastId}:shortfall", price - held, CastId));
                    State.Charged = price;
                }
                catch (LedgerException refused) when (!refused.IsRetryable)
                {
                    State.Status = CastStatus.NeedsReview;
                    State.Shortfall = price - held;
                    State.Reason = $"the price exceeded the hold by {price - held} and the account refused the rest ({refused.Code})";
                    logger.LogWarning("Cast {CastId}: {Reason}", CastId, State.Reason);
                }
            }
        }
        else
        {
            try
            {
                await Account.Execute(new VoidHold($"{RailOperationIds.CastPrefix}{CastId}:void", HoldId));
            }
            catch (LedgerException closed) when (closed.Code == LedgerErrorCodes.HoldClosed)
            {
                // Released already by the ledger's own expiry of the hold: the same end state.
            }

            State.Refunded = held;
        }

        State.EndedAt ??= Now;
        await usage.RecordAsync(
            new UsageRecord(UsageSource, CastId, State.AccountId, State.Kind, 1, State.ProviderCost, State.Charged, StatusNames.Of(State.Status), State.EndedAt.Value),
            CancellationToken.None);
        State.Ending = false;
        await state.WriteStateAsync();
        await Context.UnregisterReminderAsync(TimeoutReminder);
        return View();
    }

    private Task HoldAsync() =>
        Account.Execute(new PlaceHold(HoldId, State.Held, State.TimeoutAt - State.CreatedAt + HoldExpiryMargin, CastId));

    private CastView View() => new(
        CastId, State.AccountId, State.Kind, State.Status, State.Quote, State.BufferPercent, State.Held, State.Charged, State.Refunded,
        State.Shortfall, State.Price, State.ProviderCost, State.Reason, State.CreatedAt, State.TimeoutAt, State.EndedAt);
}
