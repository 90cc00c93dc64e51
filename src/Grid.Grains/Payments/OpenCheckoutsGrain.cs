using Grid.Contracts.Payments;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.Runtime.Hosting;
using Microsoft.Extensions.Options;

namespace Grid.Grains.Payments;

/// <inheritdoc cref="IOpenCheckoutsGrain"/>
/// <remarks>
/// It calls no other grain: payments call it (Register) and the close asks it and then the payments, so no call
/// between it and a payment can wait on the other.
/// </remarks>
public sealed class OpenCheckoutsGrain(
    [PersistentState("open-checkouts")] IPersistentState<OpenCheckoutsState> state,
    IOptions<GrainRuntimeOptions> runtime) : Grain, IOpenCheckoutsGrain
{
    /// <summary>Stripe expires a session 24 hours after it is created; an hour more for clocks and a slow answer.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(25);

    /// <summary>
    /// How long a session stays noted when there is room: past its lifetime a session paid just before it lapsed may
    /// still wait for its credit, which comes with an event Stripe sends again for up to three days while deliveries
    /// fail, and a close must still find it (and refuse to close before it is credited).
    /// </summary>
    public static readonly TimeSpan NotedFor = SessionLifetime + TimeSpan.FromDays(3);

    /// <summary>
    /// A close that never ended (its silo lost midway, or its ledger step unanswered) stops refusing sessions after this:
    /// longer than any close takes, at most <see cref="MaxNoted"/> payments asked and a few more calls, each bounded by
    /// the grain call timeout <paramref name="responseTimeout"/>; two hours at least.
    /// </summary>
    public static TimeSpan AbandonedCloseAfter(TimeSpan responseTimeout) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.FromHours(2).Ticks, responseTimeout.Ticks * (MaxNoted + 10)));

    /// <summary>
    /// Sessions an account may have noted, paid or not, until they lapse; bounds the state. A payment does not forget its
    /// own when it ends: that was a state write for every credited top-up, on the webhook's path, and cut deliveries
    /// from 7,500 to 2,400 a second. A close asks each noted payment, and an ended one answers that nothing is left.
    /// </summary>
    public const int MaxNoted = 200;

    private OpenCheckoutsState State => state.State;

    private DateTimeOffset Now => Context.TimeProvider.GetUtcNow();

    public async Task Register(string paymentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentId);
        var abandonedAfter = AbandonedCloseAfter(runtime.Value.ResponseTimeout);
        if (State.Closed || State.Closes.Values.Any(began => Now - began < abandonedAfter))
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Account {GrainId.Key} is being closed or closed; no Checkout Session is handed out.", "accountId");
        }

        if (!State.Payments.ContainsKey(paymentId))
        {
            ForgetLapsed();
            if (State.Payments.Count >= MaxNoted)
            {
                MakeRoom();
            }

            if (State.Payments.Count >= MaxNoted)
            {
                throw new LedgerException(
                    LedgerErrorCodes.InvalidState,
                    $"Account {GrainId.Key} started {MaxNoted} Checkout Sessions within {SessionLifetime.TotalHours:0} hours, the most it may; try again once older ones lapse.",
                    "accountId");
            }
        }

        // Dated by the latest ask: a session asked for again (after a lost answer) lives 24 hours from then.
        State.Payments[paymentId] = Now;
        await state.WriteStateAsync();
    }

    public async Task<CloseStart> BeginClose()
    {
        // Lost closes are let go of here, so the state holds at most the closes of the last window.
        var abandonedAfter = AbandonedCloseAfter(runtime.Value.ResponseTimeout);
        foreach (var lost in State.Closes.Where(c => Now - c.Value >= abandonedAfter).Select(c => c.Key).ToArray())
        {
            State.Closes.Remove(lost);
        }

        var token = Guid.NewGuid().ToString("N");
        State.Closes[token] = Now;
        await state.WriteStateAsync();
        return new CloseStart(token, [.. State.Payments.Keys.Order(StringComparer.Ordinal)]);
    }

    public async Task EndClose(string token, bool closed)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        State.Closes.Remove(token);
        State.Closed |= closed;
        await state.WriteStateAsync();
    }

    public async Task AccountClosed()
    {
        if (!State.Closed)
        {
            State.Closed = true;
            await state.WriteStateAsync();
        }
    }

    public async Task Forget(IReadOnlyList<string> paymentIds)
    {
        ArgumentNullException.ThrowIfNull(paymentIds);
        if (paymentIds.Count(State.Payments.Remove) > 0)
        {
            await state.WriteStateAsync();
        }
    }

    /// <summary>Sessions that can neither be paid nor credited any more (see <see cref="NotedFor"/>).</summary>
    private void ForgetLapsed()
    {
        var now = Now;
        foreach (var paymentId in State.Payments.Where(p => now - p.Value >= NotedFor).Select(p => p.Key).ToArray())
        {
            State.Payments.Remove(paymentId);
        }
    }

    /// <summary>
    /// Full: the oldest session Stripe has expired makes room (the least likely to still wait for its credit). None has
    /// lapsed: nothing does, and the account has started the most sessions it may within a session's lifetime.
    /// </summary>
    private void MakeRoom()
    {
        var oldest = State.Payments.OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First();
        if (Now - oldest.Value >= SessionLifetime)
        {
            State.Payments.Remove(oldest.Key);
        }
    }
}
