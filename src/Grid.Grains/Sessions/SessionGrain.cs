using Grid.Contracts.Accounts;
using Grid.Contracts.Sessions;
using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Grains.Sessions;

/// <summary>
/// One metered session. Its payouts are a saga of ledger steps (<see cref="SessionLeg"/>): every step is decided
/// and stored before any runs, and each confirmed step is removed and the state stored again, so a silo lost
/// between steps leaves a list of what is still to do. Each step's operation id is derived from the session and
/// the checkpoint, so a step that ran but was not yet crossed off is a replay when it runs again: every step
/// happens exactly once. Pending steps run again on activation and on a reminder until none is left.
/// <para>
/// An open session ends by itself (<see cref="SessionStatus.Expired"/>) once no usage came for
/// <see cref="SessionOptions.IdleTimeout"/>, so a server that crashed or forgot it cannot leave the payer's deposit held for
/// good. The same reminder watches for that: while the session is open it is always registered, due when the idle time
/// would run out; a report only stores when it came (no reminder write), and a tick that finds usage since waits again.
/// </para>
/// </summary>
public sealed class SessionGrain(
    [PersistentState("session")] IPersistentState<SessionState> state,
    IOptions<SessionOptions> options,
    IUsageStore usage,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain, IRemindable
{
    /// <summary>
    /// The session's one reminder: payouts still to confirm, the idle timeout while open, shares set aside. Its stored name
    /// is from when it only retried payouts, kept so reminders already stored still reach it.
    /// </summary>
    public const string SessionReminder = "session-payouts";

    private readonly SessionOptions _options = options.Value;

    private string SessionId => GrainId.Key;

    private SessionState State => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.PendingLegs.Count > 0)
        {
            // Left by a silo that stopped between steps: finish them as the activation's first turn.
            Context.RegisterTimer(_ => RunPendingQuietlyAsync(), TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        else if (State.Exists && State.Status == SessionStatus.Open && State.IdleSince is null)
        {
            // Stored before idle timeouts existed: no reminder while open, so one is set as it loads. A session with an idle
            // start has had its reminder since its hold was confirmed (no write on every load).
            Context.RegisterTimer(_ => SettleOpenReminderQuietlyAsync(), TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        return Task.CompletedTask;
    }

    public async Task<SessionView> Start(SessionStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        Validate(start);
        if (State.Exists)
        {
            var differs = State.AccountId != start.AccountId ? "accountId"
                : State.HostAccountId != start.HostAccountId ? "hostAccountId"
                : State.Deposit != start.Deposit ? "deposit"
                : State.PricePerUnit != start.PricePerUnit ? "pricePerUnit"
                : start.CheckpointUnits is { } units && units != State.CheckpointUnits ? "checkpointUnits"
                : null;
            if (differs is not null)
            {
                throw new LedgerException(LedgerErrorCodes.IdempotencyConflict, $"Session {SessionId} was started with another {differs}.", differs);
            }

            await RunPendingAsync(); // a start whose hold is still to be placed finishes starting
            RequireHoldPlaced();
            return View();
        }

        switch (await GrainFactory.GetGrain<IAccountGrain>(start.HostAccountId).Get())
        {
            case null:
                throw new LedgerException(LedgerErrorCodes.NotFound, $"There is no host account {start.HostAccountId}.", "hostAccountId");
            case { Status: AccountStatus.Closed }:
                throw new LedgerException(LedgerErrorCodes.AccountClosed, $"Host account {start.HostAccountId} is closed; it can be paid nothing.", "hostAccountId");
        }

        state.State = new SessionState
        {
            AccountId = start.AccountId,
            HostAccountId = start.HostAccountId,
            Deposit = start.Deposit,
            PricePerUnit = start.PricePerUnit,
            CheckpointUnits = start.CheckpointUnits ?? _options.CheckpointUnits,
            HostSharePercent = _options.HostSharePercent,
            TreasuryAccountId = _options.TreasuryAccountId,
            Status = SessionStatus.Open,
            CreatedAt = Context.TimeProvider.GetUtcNow(),
            // The hold's id is derived from the session's: a start sent again (after a lost answer) finds the same hold.
            PendingLegs = [new SessionLeg(SessionLegKind.Hold, SessionIds.Hold(SessionId), start.AccountId, start.Deposit, false)],
        };
        await SaveDecisionsAsync(); // the session (and its reminder) before the hold
        await RunPendingAsync();
        RequireHoldPlaced();
        return View();
    }

    /// <summary>No step waits, and a closed session's usage record is written: the reminder has nothing to retry.</summary>
    private bool NothingLeftToDo => State.PendingLegs.Count == 0 && (State.Status == SessionStatus.Open || State.UsageRecorded);

    /// <summary>The deposit's hold is still to be placed (it is always the first step: decided at start, before any other).</summary>
    private bool HoldPending => State.PendingLegs is [{ Kind: SessionLegKind.Hold }, ..];

    /// <summary>Until the deposit is held, a request answers that the session is not confirmed yet (retryable).</summary>
    private void RequireHoldPlaced()
    {
        if (HoldPending)
        {
            throw LedgerException.Unavailable(
                $"The deposit's hold for session {SessionId} is not confirmed yet; the session finishes starting by itself. Send the request again.");
        }
    }

    public async Task<SessionView> ReportUsage(UsageReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        await RequireStartedAsync();
        if (State.Reports.TryGetValue(report.OperationId, out var recorded))
        {
            if (recorded.Units != report.Units)
            {
                throw new LedgerException(LedgerErrorCodes.IdempotencyConflict, $"Usage report {report.OperationId} was sent with other units.", "units");
            }

            await RunPendingAsync();
            return recorded.AnswerDropped ? View() : recorded.Answer ?? await RecordAnswerAsync(report);
        }

        if (report.Units is < 1 or > SessionLimits.MaxUnitsPerReport)
        {
            throw LedgerException.Invalid("units", $"units must be from 1 to {SessionLimits.MaxUnitsPerReport}.");
        }

        RequireOpen();
        if (State.PendingLegs.Count >= _options.MaxPendingSteps)
        {
            throw LedgerException.Unavailable(
                $"Session {SessionId} has {State.PendingLegs.Count} payout steps still waiting; it takes new usage once they are done. Send the report again later.");
        }

        if (State.Reports.Count >= _options.MaxReports)
        {
            throw new LedgerException(
                LedgerErrorCodes.TooManyReports, $"Session {SessionId} took its {_options.MaxReports} usage reports; end it and start another.");
        }

        var total = State.Units + report.Units;
        if (total > SessionLimits.MaxTotalUnits)
        {
            throw LedgerException.Invalid("units", $"A session may count at most {SessionLimits.MaxTotalUnits} units.");
        }

        var first = State.BilledUnits / State.CheckpointUnits + 1;
        var last = total / State.CheckpointUnits;
        if (last - first + 1 > SessionLimits.MaxCheckpointsPerReport)
        {
            throw LedgerException.Invalid("units", $"One report may cross at most {SessionLimits.MaxCheckpointsPerReport} checkpoints; report in smaller parts.");
        }

        if (State.IdleSince is null && State.PendingLegs.Count == 0)
        {
            // A session stored before idle timeouts, whose load-time tick has not set its reminder (or failed to): this
            // report starts the idle time, after which nothing would set it any more. So it is set first, before anything
            // of the report is decided. (Steps still waiting keep their retry reminder; running them ends by setting it.)
            await SettleReminderAsync();
        }

        for (var k = first; k <= last && Cost(k * State.CheckpointUnits) <= State.Deposit; k++)
        {
            var cumulative = k * State.CheckpointUnits;
            Decide(State.Checkpoints + 1, Cost(cumulative) - State.Charged, final: false);
            State.Checkpoints++;
            State.BilledUnits = cumulative;
        }

        State.Units = total;
        State.IdleSince = Context.TimeProvider.GetUtcNow();
        if (Cost(total) > State.Deposit)
        {
            // The deposit cannot pay for what was used: it is all taken and the session stops taking usage.
            Close(SessionStatus.Exhausted, State.Deposit - State.Charged);
        }

        if (State.PendingLegs.Count == 0)
        {
            // Nothing to pay out: the report and its answer are stored in one write.
            Remember(report, View());
            await state.WriteStateAsync();
            return View();
        }

        Remember(report, answer: null);
        await SaveDecisionsAsync();
        await RunPendingAsync();
        return await RecordAnswerAsync(report);
    }

    public async Task<SessionView> End(string operationId)
    {
        await RequireStartedAsync();
        if (State.Status == SessionStatus.Open)
        {
            Close(SessionStatus.Ended, Cost(State.Units) - State.Charged);
            State.EndOperationId = operationId;
            await SaveDecisionsAsync();
        }

        // Ending a closed session answers how it closed (and finishes its payouts if any are left).
        await RunPendingAsync();
        return View();
    }

    public Task<SessionView?> Get() => Task.FromResult(State.Exists ? View() : null);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SessionReminder)
        {
            return;
        }

        if (State.Exists && State.Status == SessionStatus.Open && !HoldPending && IdleExpiresAt() is { } expiresAt && expiresAt <= Context.TimeProvider.GetUtcNow())
        {
            // No usage for the idle timeout: the server is gone or forgot the session. Ended as its end would, so the units
            // it reported are paid for and the rest of the deposit goes back to the payer.
            Close(SessionStatus.Expired, Cost(State.Units) - State.Charged);
            logger.LogInformation(
                "Session {SessionId}: no usage since {Since}; expired after {IdleTimeout}, {Units} units cost {Charged} in all, {Released} released",
                SessionId, State.IdleSince, _options.IdleTimeout, State.Units, State.Charged, State.Released);
            await SaveDecisionsAsync();
            await RunPendingAsync();
            return;
        }

        if (NothingLeftToDo && !ParkedLegsToRequeue().Any())
        {
            // An open session's idle tick that finds usage since (it waits for the time left), one set just before a write
            // that did not happen, one left by a run that stopped before unregistering it, or the slow look at shares set
            // aside that none of them can leave yet.
            await SettleReminderAsync();
            return;
        }

        await RunPendingAsync();
    }

    /// <summary>When the open session ends by itself unless usage comes before; null until its idle time counts.</summary>
    private DateTimeOffset? IdleExpiresAt() => State.IdleSince + _options.IdleTimeout;

    private decimal Cost(long units) => SessionCost.Cumulative(units, State.PricePerUnit);

    /// <summary>Decides the last part: captured with the hold closed (the rest released), and paid out.</summary>
    private void Close(SessionStatus status, decimal rest)
    {
        Decide(0, rest, final: true);
        State.Status = status;
        State.BilledUnits = State.Units;
        State.Released = State.Deposit - State.Charged;
        State.ClosedAt = Context.TimeProvider.GetUtcNow();
    }

    /// <summary>Adds a checkpoint's steps: capture its cost, then the host's share and the treasury's rest.</summary>
    private void Decide(int number, decimal costValue, bool final)
    {
        var cost = (long)costValue;
        var hostShare = SessionCost.HostShare(State.Charged, State.Charged + cost, State.HostSharePercent);
        var treasuryShare = cost - hostShare;
        if (cost > 0 || final)
        {
            // A final capture of nothing still closes the hold and releases the deposit.
            State.PendingLegs.Add(new SessionLeg(SessionLegKind.Capture, SessionIds.Leg(SessionId, number, "capture"), State.AccountId!, cost, final));
        }

        if (hostShare > 0)
        {
            State.PendingLegs.Add(new SessionLeg(SessionLegKind.Host, SessionIds.Leg(SessionId, number, "host"), State.HostAccountId, hostShare, false));
        }

        if (treasuryShare > 0)
        {
            State.PendingLegs.Add(new SessionLeg(SessionLegKind.Treasury, SessionIds.Leg(SessionId, number, "treasury"), State.TreasuryAccountId, treasuryShare, false));
        }

        State.Charged += cost;
        State.HostEarnings += hostShare;
        State.TreasuryEarnings += treasuryShare;
    }

    /// <summary>
    /// Stores the decided steps before any runs; the reminder is set first, so stored steps always have one. A
    /// reminder that cannot be set drops the activation: its memory holds decisions that were never stored, which no
    /// later call may act on (a failed write drops it the same way).
    /// </summary>
    private async Task SaveDecisionsAsync()
    {
        if (State.PendingLegs.Count > 0)
        {
            try
            {
                await Context.RegisterOrUpdateReminderAsync(SessionReminder, _options.RetryPeriod, _options.RetryPeriod);
            }
            catch
            {
                Context.DeactivateOnIdle();
                throw;
            }
        }

        await state.WriteStateAsync();
    }

    private async Task<SessionView> RecordAnswerAsync(UsageReport report)
    {
        var answer = View();
        if (answer.PendingLegs == 0)
        {
            // Only a settled answer is kept: a replay while steps are pending asks again and answers as it stands then.
            Remember(report, answer);
            await state.WriteStateAsync();
        }

        return answer;
    }

    /// <summary>Keeps the report (for the session's life) and its answer, letting go of answers older than the latest few.</summary>
    private void Remember(UsageReport report, SessionView? answer)
    {
        var ordinal = State.Reports.TryGetValue(report.OperationId, out var known) ? known.Ordinal : State.Reports.Count + 1;
        State.Reports[report.OperationId] = new RecordedUsage(report.Units, answer, ordinal);
        var lastDropped = ordinal - _options.KeptAnswers;
        var dropped = State.Reports.Where(r => r.Value.Answer is not null && r.Value.Ordinal <= lastDropped).ToArray();
        foreach (var (id, recorded) in dropped)
        {
            State.Reports[id] = recorded with { Answer = null, AnswerDropped = true };
        }
    }

    private async Task RunPendingQuietlyAsync()
    {
        try
        {
            await RunPendingAsync();
        }
        catch (Exception failure) when (failure is not StateConflictException)
        {
            logger.LogWarning(failure, "Session {SessionId}: payouts not finished yet; the reminder tries again", SessionId);
        }
    }

    /// <summary>Runs the stored steps in order, crossing each off (and storing that) once its account confirms it.</summary>
    private async Task RunPendingAsync()
    {
        if (ParkedLegsToRequeue().ToList() is { Count: > 0 } requeued)
        {
            // Shares set aside for a treasury that is no longer the configured one: the redirect can place them now.
            foreach (var leg in requeued)
            {
                State.ParkedLegs.Remove(leg);
                State.PendingLegs.Add(leg);
            }

            logger.LogInformation("Session {SessionId}: {Count} payouts set aside are tried again for the configured treasury {TreasuryId}", SessionId, requeued.Count, _options.TreasuryAccountId);
            await SaveDecisionsAsync();
        }

        if (NothingLeftToDo)
        {
            return;
        }

        while (State.PendingLegs.Count > 0)
        {
            var leg = State.PendingLegs[0];
            try
            {
                await RunAsync(leg);
            }
            catch (LedgerException refused) when (!refused.IsRetryable && leg.Kind == SessionLegKind.Hold)
            {
                // The account would not hold the deposit (a refused command leaves no trace): the session never started.
                logger.LogInformation("Session {SessionId}: not started, {AccountId} refused the deposit's hold ({Code})", SessionId, leg.AccountId, refused.Code);
                var stored = state.State;
                state.State = new SessionState();
                try
                {
                    await state.WriteStateAsync();
                }
                catch
                {
                    state.State = stored; // still stored with its hold pending: memory says so too, and the reminder tries again
                    throw;
                }

                await Context.UnregisterReminderAsync(SessionReminder); // if this fails, the reminder finds nothing to do and goes
                throw;
            }
            catch (LedgerException refused) when (!refused.IsRetryable && leg.Kind == SessionLegKind.Host && refused.Code == LedgerErrorCodes.AccountClosed)
            {
                // The host's account closed while the session paid it: its share goes to the treasury (kept, traceable),
                // so the payer's later captures, and the release of the rest of its deposit, are not stuck behind it.
                logger.LogError(
                    "Session {SessionId}: host account {AccountId} is closed; its share of {Amount} ({OperationId}) goes to the treasury {TreasuryId}",
                    SessionId, leg.AccountId, leg.Amount, leg.OperationId, State.TreasuryAccountId);
                State.PendingLegs[0] = new SessionLeg(SessionLegKind.Treasury, leg.OperationId + ":treasury", State.TreasuryAccountId, leg.Amount, false);
                State.HostEarnings -= leg.Amount;
                State.TreasuryEarnings += leg.Amount;
                await state.WriteStateAsync();
                continue;
            }
            catch (LedgerException refused) when (!refused.IsRetryable && leg.Kind == SessionLegKind.Treasury
                && refused.Code == LedgerErrorCodes.AccountClosed && _options.TreasuryAccountId != leg.AccountId)
            {
                // The treasury this session started with was closed after the operator configured another: pay that one.
                logger.LogError(
                    "Session {SessionId}: treasury {AccountId} is closed; its share of {Amount} ({OperationId}) goes to the configured treasury {TreasuryId}",
                    SessionId, leg.AccountId, leg.Amount, leg.OperationId, _options.TreasuryAccountId);
                State.PendingLegs[0] = leg with { OperationId = leg.OperationId + ":moved", AccountId = _options.TreasuryAccountId };
                State.TreasuryAccountId = _options.TreasuryAccountId;
                await state.WriteStateAsync();
                continue;
            }
            catch (LedgerException refused) when (!refused.IsRetryable && leg.Kind is SessionLegKind.Host or SessionLegKind.Treasury
                && State.ParkedLegs.Count < _options.MaxPendingSteps)
            {
                // A payout its account will not take, with nowhere else to go: it is owed, and needs a person. Set aside so
                // the payer's later captures and the release of its deposit are not stuck behind it for good.
                logger.LogError(
                    "Session {SessionId}: {Kind} step {OperationId} of {Amount} on {AccountId} refused ({Code}: {Reason}); set aside for a person",
                    SessionId, leg.Kind, leg.OperationId, leg.Amount, leg.AccountId, refused.Code, refused.Message);
                State.PendingLegs.RemoveAt(0);
                State.ParkedLegs.Add(leg);
                await state.WriteStateAsync();
                continue;
            }
            catch (LedgerException refused) when (!refused.IsRetryable)
            {
                // Money that an account will not take needs a person; the step stays pending and is retried.
                logger.LogError(
                    "Session {SessionId}: {Kind} step {OperationId} of {Amount} on {AccountId} refused ({Code}: {Reason})",
                    SessionId, leg.Kind, leg.OperationId, leg.Amount, leg.AccountId, refused.Code, refused.Message);
                return;
            }
            catch (Exception busy) when (busy is LedgerException or TimeoutException or GrainOverloadedException or SiloUnavailableException)
            {
                logger.LogWarning("Session {SessionId}: step {OperationId} not confirmed yet ({Error}); retried", SessionId, leg.OperationId, busy.GetType().Name);
                return;
            }

            if (leg.Kind == SessionLegKind.Hold)
            {
                State.IdleSince = Context.TimeProvider.GetUtcNow(); // the server's time to report begins with the deposit held
            }

            State.PendingLegs.RemoveAt(0);
            await state.WriteStateAsync();
        }

        if (State.Status != SessionStatus.Open && !State.UsageRecorded)
        {
            // Paid out in full: the session's usage, written again (the same row) if a redo gets here twice. Until it is
            // marked written, a retried end or the reminder (still registered if this fails) writes it.
            await usage.RecordAsync(
                new UsageRecord(SessionUsage.Kind, SessionId, State.AccountId!, SessionUsage.Kind, State.BilledUnits, null, State.Charged,
                    State.Status.ToString().ToLowerInvariant(), State.ClosedAt ?? Context.TimeProvider.GetUtcNow()),
                CancellationToken.None);
            State.UsageRecorded = true;
            await state.WriteStateAsync();
        }

        await SettleReminderAsync();
    }

    /// <summary>Treasury shares set aside for an account that is not the configured treasury (any more).</summary>
    private IEnumerable<SessionLeg> ParkedLegsToRequeue() =>
        State.ParkedLegs.Where(l => l.Kind == SessionLegKind.Treasury && l.AccountId != _options.TreasuryAccountId);

    /// <summary>
    /// No payout waits any more. An open session keeps the reminder, due when its idle time runs out; payouts set aside
    /// keep a slow one too, so that a treasury the operator replaces later gets its shares even if the session sees no
    /// other call. A closed session with nothing set aside needs none.
    /// </summary>
    private async Task SettleReminderAsync()
    {
        var parked = State.ParkedLegs.Count > 0;
        if (State.Exists && State.Status == SessionStatus.Open)
        {
            // Stored before idle timeouts: its idle time starts now, so a server still reporting gets a full timeout. The
            // reminder goes first: if the write of the start then fails, the reminder finds none and sets it again.
            var now = Context.TimeProvider.GetUtcNow();
            var idleLeft = (State.IdleSince ?? now) + _options.IdleTimeout - now;
            var due = idleLeft < TimeSpan.Zero ? TimeSpan.Zero : idleLeft;
            // Due when the idle time runs out; a tick that fails (a store out of reach) comes again a retry period later.
            var period = TimeSpan.FromTicks(Math.Min(_options.IdleTimeout.Ticks, _options.RetryPeriod.Ticks));
            if (parked)
            {
                due = TimeSpan.FromTicks(Math.Min(due.Ticks, _options.ParkedRecheckPeriod.Ticks));
                period = TimeSpan.FromTicks(Math.Min(period.Ticks, _options.ParkedRecheckPeriod.Ticks));
            }

            await Context.RegisterOrUpdateReminderAsync(SessionReminder, due, period);
            if (State.IdleSince is null)
            {
                State.IdleSince = now;
                await state.WriteStateAsync();
            }

            return;
        }

        await (parked
            ? Context.RegisterOrUpdateReminderAsync(SessionReminder, _options.ParkedRecheckPeriod, _options.ParkedRecheckPeriod)
            : Context.UnregisterReminderAsync(SessionReminder));
    }

    /// <summary>
    /// The load-time tick: the calls that loaded the session ran first and may have closed it or left steps waiting, whose
    /// retry reminder must stay; so it sets the idle reminder only for a session still open with nothing waiting.
    /// </summary>
    private async Task SettleOpenReminderQuietlyAsync()
    {
        if (!State.Exists || State.Status != SessionStatus.Open || State.PendingLegs.Count > 0)
        {
            return;
        }

        try
        {
            await SettleReminderAsync();
        }
        catch (Exception failure) when (failure is not StateConflictException)
        {
            // Let the activation go, so the next call loads the session again and tries once more (a report sets it
            // too), rather than leaving an open session with no reminder.
            logger.LogWarning(failure, "Session {SessionId}: its reminder could not be set as it loaded; it is tried again on the next load", SessionId);
            Context.DeactivateOnIdle();
        }
    }

    private async Task RunAsync(SessionLeg leg)
    {
        var account = GrainFactory.GetGrain<IAccountGrain>(leg.AccountId);
        switch (leg.Kind)
        {
            case SessionLegKind.Capture:
                try
                {
                    await account.Execute(new CaptureHold(leg.OperationId, SessionIds.Hold(SessionId), leg.Amount, leg.Final));
                }
                catch (LedgerException closed) when (closed.Code is LedgerErrorCodes.HoldClosed or LedgerErrorCodes.AccountClosed && leg.Amount == 0 && leg.Final)
                {
                    // Checkpoints already captured the whole deposit, which closed the hold: nothing is left to close or
                    // release (and an account closed since can only have been closed with nothing held).
                }

                break;
            case SessionLegKind.Host:
                await account.Execute(new Deposit(leg.OperationId, leg.Amount, Reference: $"session {SessionId}"));
                break;
            case SessionLegKind.Hold:
                await account.Execute(new PlaceHold(leg.OperationId, leg.Amount, Reference: $"session {SessionId}"));
                break;
            default:
                // A step this version does not know (written by a newer one) must never be crossed off as done.
                throw new InvalidOperationException($"Session {SessionId}: step {leg.OperationId} is of a kind this silo does not know ({leg.Kind}).");
            case SessionLegKind.Treasury:
                if (await account.Get() is null)
                {
                    await OpenTreasuryAsync(account);
                }

                await account.Execute(new Deposit(leg.OperationId, leg.Amount, Reference: $"session {SessionId}"));
                break;
        }
    }

    // The treasury is an ordinary account; the first payout opens it, so an operator need not.
    private static async Task OpenTreasuryAsync(IAccountGrain treasury)
    {
        try
        {
            await treasury.Execute(new OpenAccount(Name: "Treasury"));
        }
        catch (LedgerException opened) when (opened.Code == LedgerErrorCodes.AlreadyExists)
        {
            // Opened by another session's payout in between.
        }
    }

    private void Validate(SessionStart start)
    {
        if (!SessionIds.IsValid(SessionId))
        {
            throw LedgerException.Invalid("operationId", $"A session id is 1 to {SessionIds.MaxLength} characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'.");
        }

        if (start.AccountId == start.HostAccountId)
        {
            throw LedgerException.Invalid("hostAccountId", "The host's account must not be the account that pays.");
        }

        CreditMath.RequirePositive(start.Deposit, "deposit");
        if (start.PricePerUnit <= 0 || start.PricePerUnit > SessionLimits.MaxPricePerUnit)
        {
            throw LedgerException.Invalid("pricePerUnit", $"pricePerUnit must be above 0 and at most {SessionLimits.MaxPricePerUnit}.");
        }

        if (start.CheckpointUnits is < 1 or > SessionLimits.MaxUnitsPerReport)
        {
            throw LedgerException.Invalid("checkpointUnits", $"checkpointUnits must be from 1 to {SessionLimits.MaxUnitsPerReport}.");
        }
    }

    /// <summary>
    /// The session exists and holds its deposit. A start whose hold is still pending is finished first; until the hold is
    /// placed, usage and ends are not taken (a refused hold would take the session, and what they decided, with it).
    /// </summary>
    private async Task RequireStartedAsync()
    {
        RequireExists();
        if (HoldPending)
        {
            await RunPendingAsync();
            RequireExists();
            RequireHoldPlaced();
        }
    }

    public Task<IReadOnlyList<ParkedStepView>> ParkedSteps()
    {
        RequireExists();
        return Task.FromResult(ParkedView());
    }

    public async Task<IReadOnlyList<ParkedStepView>> ReleaseParkedStep(string operationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationId);
        RequireExists();
        var leg = State.ParkedLegs.Find(l => l.OperationId == operationId)
            ?? throw new LedgerException(LedgerErrorCodes.NotFound, $"Session {SessionId} has no parked step {operationId}.", "operationId");
        State.ParkedLegs.Remove(leg);
        await state.WriteStateAsync(); // a failed write deactivates the grain: memory never keeps what the store does not
        logger.LogWarning(
            "Session {SessionId}: parked {Kind} step {OperationId} of {Amount} on {AccountId} released as paid by a person; nothing pays it again",
            SessionId, leg.Kind, leg.OperationId, leg.Amount, leg.AccountId);
        if (NothingLeftToDo)
        {
            // A closed session with nothing set aside any more needs no slow look. Steps still waiting keep the retry
            // reminder they have. Should this fail, the reminder's next tick finds nothing to do and settles it.
            try
            {
                await SettleReminderAsync();
            }
            catch (Exception unsettled) when (unsettled is not OperationCanceledException)
            {
                logger.LogWarning("Session {SessionId}: its reminder is settled by its next tick instead ({Error})", SessionId, unsettled.Message);
            }
        }

        return ParkedView();
    }

    private IReadOnlyList<ParkedStepView> ParkedView() =>
        [.. State.ParkedLegs.Select(l => new ParkedStepView(l.OperationId, l.Kind.ToString().ToLowerInvariant(), l.AccountId, l.Amount))];

    private void RequireExists()
    {
        if (!State.Exists)
        {
            throw new LedgerException(LedgerErrorCodes.NotFound, $"There is no session {SessionId}.", "id");
        }
    }

    private void RequireOpen()
    {
        if (State.Status != SessionStatus.Open)
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Session {SessionId} is {State.Status.ToString().ToLowerInvariant()}; it takes no more usage.");
        }
    }

    private SessionView View() => new(
        SessionId, State.AccountId!, State.HostAccountId, State.Status, State.Deposit, State.PricePerUnit, State.CheckpointUnits,
        State.Units, State.BilledUnits, State.Checkpoints, State.Charged, State.HostEarnings, State.TreasuryEarnings, State.Released,
        State.PendingLegs.Count, State.ParkedLegs.Count, State.CreatedAt, State.ClosedAt,
        State.Status == SessionStatus.Open ? IdleExpiresAt() : null);
}
