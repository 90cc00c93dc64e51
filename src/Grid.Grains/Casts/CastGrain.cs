using System.Text.Json;
using Grid.Contracts;
using Grid.Contracts.Accounts;
using Grid.Contracts.Casts;
using Grid.Contracts.Payments;
using Grid.Ledger.Commands;
using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Ledger.Idempotency;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Grains.Casts;

/// <summary>
/// One cast. Not reentrant. Start holds quote plus buffer; complete captures the price (releasing the rest) and
/// debits a price beyond the hold when the account allows, else records it for review; fail and the timeout void the
/// hold. The cast's record and its usage row ride in the account's journal transaction with the entry that moves its
/// money (<see cref="IAccountGrain.ExecuteSettling"/>), so a cast costs no write of its own. Ledger commands carry ids
/// derived from the cast (<c>cast:&lt;id&gt;:hold</c>, <c>:capture</c>, <c>:shortfall</c>, <c>:void</c>), so every
/// redo is a replay. Memory holds only what is durable: a step whose outcome is unknown makes the grain read its
/// record again before its next call. Timeouts and endings cut short are found by <see cref="CastSweeperGrain"/>.
/// </summary>
public sealed class CastGrain(
    ICastStore casts, IUsageStore usage, CastSweeperWaker sweeper, IOptions<CastOptions> options, ILogger<CastGrain> logger) : Grain, ICastGrain
{
    /// <summary>The <see cref="UsageRecord.Source"/> of casts.</summary>
    public const string UsageSource = "cast";

    /// <summary>The ledger's own expiry of the hold comes this long after the cast's timeout: a backstop, never first.</summary>
    private static readonly TimeSpan HoldExpiryMargin = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private CastState? _state; // null: read the record before the next call

    // A start whose hold may still land (its answer never came): the record, which rides with the hold, cannot be read
    // yet. Another start under the id finishes this one first. Memory is enough: an activation that is gone took its
    // calls with it, and the store then says what landed.
    private CastStart? _uncertainStart;

    private string CastId => GrainId.Key;

    private DateTimeOffset Now => Context.TimeProvider.GetUtcNow();

    private string HoldId => CastIds.Step(CastId, "hold");

    private IAccountGrain AccountOf(CastState state) => GrainFactory.GetGrain<IAccountGrain>(state.AccountId);

    public async Task<CastView> Start(CastStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (start.CastId != CastId)
        {
            throw LedgerException.Invalid("operationId", "The cast id is the start's operation id.");
        }

        if (!CastIds.IsValid(CastId))
        {
            // Checked before the hold: a longer id holds fine, but its capture or shortfall id would not fit, so the work
            // could never be charged.
            throw LedgerException.Invalid("operationId", $"A cast's operationId is 1 to {CastIds.MaxLength} characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'.");
        }

        if (start.Kind is { } kind && (kind.Length is 0 or > OperationIds.MaxLength || !StorableText.IsStorable(kind) || kind.Contains('|')))
        {
            // The kind is a column of the usage row that rides with the journal: a kind the store refused would fail the
            // append. A '|' would blur the fields of the start's fingerprint (CastRequests).
            throw LedgerException.Invalid("kind", $"A kind is 1 to {OperationIds.MaxLength} characters, without '|', NUL or unpaired surrogates.");
        }

        if (_uncertainStart is { } earlier && earlier != start)
        {
            // Another start's hold (maybe on another account) may still land under this id, and one of the two would then
            // hold for nothing. It is finished first, as its own retry would: then the id is its, or it never will be.
            try
            {
                await StartOnceAsync(earlier);
            }
            catch (LedgerException refused) when (!refused.IsRetryable)
            {
                // Refused for good (or another start's already): it holds nothing, and this one may go on.
            }
        }

        return await StartOnceAsync(start);
    }

    private async Task<CastView> StartOnceAsync(CastStart start)
    {
        var request = CastRequests.Start(start);
        var known = await StateAsync();
        if (known.Exists)
        {
            ForgetUncertainStart(start);
            var again = StartedAs(known, request); // its hold is durable: the record rode with it
            await WakeSweeperAsync(); // a first start whose wake-up failed is woken by its retry
            return again;
        }

        var now = Now;
        var running = new CastState
        {
            Exists = true,
            AccountId = start.AccountId,
            Kind = start.Kind,
            Quote = start.Quote,
            BufferPercent = start.BufferPercent,
            Held = CastPricing.HoldFor(start.Quote, start.BufferPercent),
            Status = CastStatus.Running,
            CreatedAt = now,
            TimeoutAt = now + start.Timeout,
            StartRequest = request,
        };
        var hold = new PlaceHold(HoldId, running.Held, start.Timeout + HoldExpiryMargin, CastId);
        var record = Record(running, CastRecordStage.Running, running.TimeoutAt);
        LedgerResult result;
        try
        {
            result = await SettleAsync(running, hold, record, usageRow: null);
        }
        catch (LedgerException refused) when (!refused.IsRetryable)
        {
            ForgetUncertainStart(start); // refused once its account's earlier entries were durable: no hold of it will land
            throw;
        }
        catch
        {
            _uncertainStart = start;
            throw;
        }

        ForgetUncertainStart(start);
        if (result.Replayed)
        {
            // The hold was durable before: placed by this start whose answer was lost (its record rode with it, and says
            // when it began), or by a start from before records rode with holds, whose record is stored now.
            _state = null;
            known = await StateAsync();
            if (known.Exists)
            {
                var answer = StartedAs(known, request);
                await WakeSweeperAsync();
                return answer;
            }

            await casts.SaveAsync(record, CancellationToken.None);
        }

        _state = running;
        await WakeSweeperAsync(); // its timeout is the sweeper's to find
        return View(running);
    }

    /// <summary>
    /// Wakes the sweeper (free once it has been). A failure does not fail the start: its hold is durable, and the answer
    /// says so. The next start in this process tries again, and the ledger's own expiry of the hold is the backstop.
    /// </summary>
    private async Task WakeSweeperAsync()
    {
        try
        {
            await sweeper.EnsureStartedAsync();
        }
        catch (Exception failed)
        {
            logger.LogWarning("Cast {CastId}: the cast sweeper could not be woken ({Error}); the next start tries again", CastId, failed.GetType().Name);
        }
    }

    private void ForgetUncertainStart(CastStart start)
    {
        if (_uncertainStart == start)
        {
            _uncertainStart = null;
        }
    }

    /// <summary>The answer to a start of a cast already started: the same start's view, else a conflict.</summary>
    private CastView StartedAs(CastState known, string request) =>
        known.StartRequest == request
            ? View(known)
            : throw ConflictOf($"Cast {CastId} was started with another request", CastRequests.DifferingStartField(known.StartRequest, request));

    private static LedgerException ConflictOf(string what, string field) =>
        new(LedgerErrorCodes.IdempotencyConflict, $"{what} ({field} differs).", field);

    public async Task<CastView> Complete(CastCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        // A retry after the operator changed the markup is the same request, and answers what the first one charged (a
        // running ending keeps its price).
        var request = CastRequests.Complete(completion);
        var known = await StateAsync();
        if (AlreadyEnded(known, completion.OperationId, request) is { } ended)
        {
            return await ended;
        }

        var ending = known.Copy();
        ending.EndOperationId = completion.OperationId;
        ending.EndRequest = request;
        ending.ProviderCost = completion.ProviderCost;
        if (completion.Price is { } price)
        {
            ending.Price = price;
            ending.Status = CastStatus.Completed;
        }
        else if (completion.ProviderCost is { } cost)
        {
            ending.Price = CastPricing.PriceFor(cost, completion.Markup);
            if (ending.Price > CreditMath.MaxAmount)
            {
                // Refused before anything moves: no ledger amount can carry it, so the hold would be taken for a shortfall never collected.
                throw LedgerException.Invalid("providerCost", $"providerCost x markup ({completion.Markup}) is more than {CreditMath.MaxAmount} credits.");
            }

            ending.Status = CastStatus.Completed;
        }
        else
        {
            ending.Status = CastStatus.NeedsReview;
            ending.Reason = "no price and no provider cost: nothing charged";
        }

        return await EndAsync(ending);
    }

    public async Task<CastView> Fail(CastFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var known = await StateAsync();
        if (AlreadyEnded(known, failure.OperationId, CastRequests.Fail(failure)) is { } ended)
        {
            return await ended;
        }

        var ending = known.Copy();
        ending.EndOperationId = failure.OperationId;
        ending.EndRequest = CastRequests.Fail(failure);
        ending.Status = CastStatus.Failed;
        ending.Reason = failure.Reason;
        return await EndAsync(ending);
    }

    public async Task<CastView?> Get()
    {
        var known = await StateAsync();
        return known.Exists ? View(known) : null;
    }

    public async Task Sweep()
    {
        var known = await StateAsync();
        if (!known.Exists)
        {
            _state = null; // the sweeper asks only for a stored record: absence known here is older than it
            known = await StateAsync();
        }

        if (!known.Exists || (known.EndOperationId is not null && !known.Ending))
        {
            return; // nothing here, or ended
        }

        if (known.Ending)
        {
            await EndAsync(known.Copy()); // an ending whose second step was cut short
            return;
        }

        if (Now >= known.TimeoutAt)
        {
            var ending = known.Copy();
            ending.EndOperationId = $"~timeout:{CastId}";
            ending.Status = CastStatus.TimedOut;
            ending.Reason = "ran past its timeout";
            try
            {
                await EndAsync(ending);
            }
            catch (LedgerException ended) when (ended.Code == LedgerErrorCodes.InvalidState)
            {
                // Another ending got there first (its answer lost on the way): the cast is ended, which is all a sweep wants.
            }
        }
    }

    /// <summary>The answer for an operation that ends a cast already ended or ending; null when this one may end it.</summary>
    private Task<CastView>? AlreadyEnded(CastState known, string operationId, string request)
    {
        if (!known.Exists)
        {
            throw new LedgerException(LedgerErrorCodes.NotFound, $"There is no cast {CastId}.", "id");
        }

        if (known.EndOperationId is null)
        {
            return null;
        }

        if (known.EndOperationId != operationId)
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Cast {CastId} already ended ({StatusNames.Of(known.Status)}).", "id");
        }

        if (known.EndRequest != request)
        {
            throw ConflictOf($"Operation {operationId} ended cast {CastId} with another request", CastRequests.DifferingEndField(known.EndRequest ?? "", request));
        }

        return known.Ending ? EndAsync(known.Copy()) : Task.FromResult(View(known));
    }

    /// <summary>
    /// Runs the decided ending's ledger steps, each carrying the cast's record as it stands after the step (and the
    /// last one its usage row). A price beyond the hold takes two steps, so the first writes the ending down.
    /// </summary>
    private async Task<CastView> EndAsync(CastState ending)
    {
        var held = ending.Held;
        if (ending.Status == CastStatus.Completed && ending.Price is { } price)
        {
            var captured = Math.Min(price, held);
            var capture = new CaptureHold(CastIds.Step(CastId, "capture"), HoldId, captured);
            if (price <= held)
            {
                var done = Ended(ending, charged: captured, refunded: held - captured);
                return await SettleEndingAsync(done, capture, onClosed: HoldExpiredFirst);
            }

            ending.Ending = true;
            ending.Charged = captured;
            LedgerResult taken;
            try
            {
                taken = await SettleAsync(ending, capture, Record(ending, CastRecordStage.Ending, Now + options.Value.EndingRetryDelay), usageRow: null);
            }
            catch (LedgerException closed) when (HoldIsGone(closed))
            {
                return await SaveEndedAloneAsync(HoldExpiredFirst(ending));
            }
            catch (LedgerException conflict) when (conflict.Code == LedgerErrorCodes.IdempotencyConflict)
            {
                return await AnsweredByStoredEndingAsync(ending.EndOperationId);
            }

            if (taken.Replayed)
            {
                // The same capture was taken before: by this ending, or by another one of the same amount whose answer was
                // lost. Its record, durable with it, says which; the shortfall is only ever the stored ending's to debit,
                // at its price (a retry priced again after the markup changed charges what the first attempt fixed).
                ending = await StoredEndingOfAsync(ending.EndOperationId);
                if (!ending.Ending)
                {
                    return View(ending); // its first attempt ended it with this one capture (its price was the hold)
                }

                price = ending.Price ?? price;
            }

            _state = ending;
            var shortfall = new Debit(CastIds.Step(CastId, "shortfall"), price - held, CastId);
            var paid = Ended(ending, charged: price, refunded: 0);
            try
            {
                return await SettleEndingAsync(paid, shortfall, onClosed: null);
            }
            catch (LedgerException refused) when (!refused.IsRetryable)
            {
                var review = Ended(ending, charged: captured, refunded: 0);
                review.Status = CastStatus.NeedsReview;
                review.Shortfall = price - held;
                review.Reason = $"the price exceeded the hold by {price - held} and the account refused the rest ({refused.Code})";
                logger.LogWarning("Cast {CastId}: {Reason}", CastId, review.Reason);
                return await SaveEndedAloneAsync(review);
            }
        }

        var voided = Ended(ending, charged: 0, refunded: held);
        var release = new VoidHold(CastIds.Step(CastId, "void"), HoldId);
        return await SettleEndingAsync(voided, release, onClosed: closed => closed); // released already by the ledger's expiry: the same end
    }

    /// <summary>The last ledger step of an ending, with the ended record and the usage row; a hold the ledger closed first ends as <paramref name="onClosed"/> says.</summary>
    private async Task<CastView> SettleEndingAsync(CastState done, LedgerCommand step, Func<CastState, CastState>? onClosed)
    {
        LedgerResult result;
        try
        {
            result = await SettleAsync(done, step, Record(done, CastRecordStage.Ended, dueAt: null), UsageOf(done));
        }
        catch (LedgerException closed) when (HoldIsGone(closed) && onClosed is not null)
        {
            return await SaveEndedAloneAsync(onClosed(done));
        }
        catch (LedgerException conflict) when (conflict.Code == LedgerErrorCodes.IdempotencyConflict)
        {
            return await AnsweredByStoredEndingAsync(done.EndOperationId);
        }

        if (result.Replayed)
        {
            // Done before, records and all, by a call whose answer was lost: answer with what was stored then, if it was
            // this ending's. Every failure and timeout voids under one id, so the step may have been another ending's.
            return View(await StoredEndingOfAsync(done.EndOperationId));
        }

        _state = done;
        return View(done);
    }

    /// <summary>
    /// The hold is closed: released by the ledger's expiry, or taken by another ending; or the account is closed, which
    /// it can only be with nothing held. Either way this ending's step cannot run, and retrying it never will.
    /// </summary>
    private static bool HoldIsGone(LedgerException refused) =>
        refused.Code is LedgerErrorCodes.HoldClosed or LedgerErrorCodes.AccountClosed;

    /// <summary>The ledger's expiry released the hold before the cast completed (the timeout came late): nothing is taken after the fact.</summary>
    private CastState HoldExpiredFirst(CastState ending)
    {
        var review = Ended(ending, charged: 0, refunded: ending.Held);
        review.Status = CastStatus.NeedsReview;
        review.Reason = "the hold had expired before the cast completed: nothing charged";
        logger.LogWarning("Cast {CastId}: {Reason}", CastId, review.Reason);
        return review;
    }

    /// <summary>An ending no journal entry carries: its record and usage row are written on their own.</summary>
    private async Task<CastView> SaveEndedAloneAsync(CastState done)
    {
        var record = await casts.ReadAsync(CastId, CancellationToken.None);
        if (record is { Stage: CastRecordStage.Ending })
        {
            var other = _state = StateOf(record);
            if (other.EndOperationId != done.EndOperationId)
            {
                // Another ending closed the hold first (a completion whose answer this grain never saw): its capture is in
                // the journal and its record says a step is left. That ending is the cast's; written over, the record
                // would say nothing was charged while the hold was taken. It is finished, and this one refused.
                throw await RefusedByAsync(other, done.EndOperationId);
            }
        }

        // Another ending may have been stored first (records only move forward): then it is the answer, and its row the row.
        CastState stored;
        if (record is { Stage: CastRecordStage.Ended })
        {
            stored = _state = StateOf(record); // the final stage: what was just read is what the store holds
        }
        else
        {
            // The usage row before the ended record: a stop in between leaves the ending to be stored again (and the row
            // written again, an upsert), where a stop after an ended record would leave the row missing for good.
            await usage.RecordAsync(UsageOf(done), CancellationToken.None);
            await casts.SaveAsync(Record(done, CastRecordStage.Ended, dueAt: null), CancellationToken.None);
            _state = null;
            stored = await StateAsync(); // this ending, or one stored first
        }

        await usage.RecordAsync(UsageOf(stored), CancellationToken.None); // the same row again, or the stored ending's
        return stored.EndOperationId == done.EndOperationId ? View(stored) : throw await RefusedByAsync(stored, done.EndOperationId);
    }

    /// <summary>The record read again after a replayed step: this ending's, else this ending is refused (<see cref="RefusedByAsync"/>).</summary>
    private async Task<CastState> StoredEndingOfAsync(string? operationId)
    {
        _state = null;
        var stored = await StateAsync();
        return stored.EndOperationId == operationId ? stored : throw await RefusedByAsync(stored, operationId);
    }

    /// <summary>
    /// A step whose ledger id already carries another amount: an ending whose answer was lost took it (this very one,
    /// priced again after the markup changed, or another). Its record, durable with it, answers, as any retry is answered.
    /// </summary>
    private async Task<CastView> AnsweredByStoredEndingAsync(string? operationId)
    {
        var stored = await StoredEndingOfAsync(operationId);
        return stored.Ending ? await EndAsync(stored.Copy()) : View(stored);
    }

    /// <summary>
    /// The refusal of an ending that found the cast ended (or ending) by another one whose answer was lost: that one is the
    /// cast's, finished here if a step of it is left, and this one is answered as any second ending is, so its retry gets
    /// the same answer.
    /// </summary>
    private async Task<LedgerException> RefusedByAsync(CastState stored, string? refused)
    {
        var status = stored.Status;
        if (stored.Ending)
        {
            logger.LogWarning("Cast {CastId}: {Operation} found the hold taken by ending {Ending}; finishing that one", CastId, refused, stored.EndOperationId);
            status = (await EndAsync(stored.Copy())).Status;
        }

        return new LedgerException(LedgerErrorCodes.InvalidState, $"Cast {CastId} already ended ({StatusNames.Of(status)}).", "id");
    }

    /// <summary>Runs a ledger step with the records it settles; when its outcome is unknown, the record is read again before the next call.</summary>
    private async Task<LedgerResult> SettleAsync(CastState state, LedgerCommand step, CastRecord record, UsageRecord? usageRow)
    {
        try
        {
            return await AccountOf(state).ExecuteSettling(step, new SettlementRecords(record, usageRow));
        }
        catch
        {
            // Unknown outcome, or a refusal: either way the record is read again before the next call acts on it.
            _state = null;
            throw;
        }
    }

    private CastState Ended(CastState ending, long charged, long refunded)
    {
        var done = ending.Copy();
        done.Ending = false;
        done.Charged = charged;
        done.Refunded = refunded;
        done.EndedAt ??= Now;
        return done;
    }

    private async Task<CastState> StateAsync()
    {
        if (_state is { } known)
        {
            return known;
        }

        if (!StorableText.IsStorable(CastId))
        {
            return new CastState(); // no cast has such an id (a start refuses it), and the store would refuse the read
        }

        var read = StateOf(await casts.ReadAsync(CastId, CancellationToken.None));
        if (read.Exists || _uncertainStart is null)
        {
            _state = read; // absence is not kept while a start's record may still land
        }

        return read;
    }

    private static CastState StateOf(CastRecord? record) =>
        record is null ? new CastState() : JsonSerializer.Deserialize<CastState>(record.Payload, Json) ?? new CastState();

    private CastRecord Record(CastState state, CastRecordStage stage, DateTimeOffset? dueAt) =>
        new(CastId, state.AccountId, stage, dueAt, JsonSerializer.Serialize(state, Json), Now);

    private UsageRecord UsageOf(CastState done) =>
        new(UsageSource, CastId, done.AccountId, done.Kind, 1, done.ProviderCost, done.Charged, StatusNames.Of(done.Status), done.EndedAt ?? Now);

    private CastView View(CastState state) => new(
        CastId, state.AccountId, state.Kind, state.Status, state.Quote, state.BufferPercent, state.Held, state.Charged, state.Refunded,
        state.Shortfall, state.Price, state.ProviderCost, state.Reason, state.CreatedAt, state.TimeoutAt, state.EndedAt);
}
