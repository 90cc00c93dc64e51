using Grid.Contracts.Payments;
using Grid.Ledger.Errors;
using Grid.Runtime;

namespace Grid.Grains.Payments;

/// <inheritdoc cref="IOpenCheckoutsGrain"/>
/// <remarks>
/// It calls no other grain: payments call it (Register) and the close asks it and then the payments, so no call
/// between it and a payment can wait on the other.
/// </remarks>
public sealed class OpenCheckoutsGrain(
    [PersistentState("open-checkouts")] IPersistentState<OpenCheckoutsState> state) : Grain, IOpenCheckoutsGrain
{
    /// <summary>Stripe expires a session 24 hours after it is created; an hour more for clocks and a slow answer.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(25);

    /// <summary>
    /// A close that never ended (its silo lost midway) stops refusing sessions after this. Longer than any close takes:
    /// at most <see cref="MaxNoted"/> Stripe calls, each bounded by the grain call timeout.
    /// </summary>
    public static readonly TimeSpan AbandonedCloseAfter = TimeSpan.FromHours(2);

    /// <summary>Sessions an account may have noted (asked for within <see cref="SessionLifetime"/>); bounds the state.</summary>
    public const int MaxNoted = 200;

    private OpenCheckoutsState State => state.State;

    private DateTimeOffset Now => Context.TimeProvider.GetUtcNow();

    public async Task Register(string paymentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentId);
        if (State.Closed || (State.ClosingSince is { } since && Now - since < AbandonedCloseAfter))
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Account {GrainId.Key} is being closed or closed; no Checkout Session is handed out.", "accountId");
        }

        if (!State.Payments.ContainsKey(paymentId))
        {
            ForgetLapsed();
            if (State.Payments.Count >= MaxNoted)
            {
                throw new LedgerException(
                    LedgerErrorCodes.InvalidState,
                    $"Account {GrainId.Key} has asked for {MaxNoted} Checkout Sessions within {SessionLifetime.TotalHours} hours, the most it may; try again later.",
                    "accountId");
            }
        }

        // Dated by the latest ask: a session asked for again (after a lost answer) lives 24 hours from then.
        State.Payments[paymentId] = Now;
        await state.WriteStateAsync();
    }

    public async Task<IReadOnlyList<string>> BeginClose()
    {
        State.ClosingSince = Now;
        await state.WriteStateAsync();
        return [.. State.Payments.Keys.Order(StringComparer.Ordinal)];
    }

    public async Task EndClose(bool closed)
    {
        State.ClosingSince = null;
        State.Closed |= closed;
        await state.WriteStateAsync();
    }

    public async Task Forget(IReadOnlyList<string> paymentIds)
    {
        ArgumentNullException.ThrowIfNull(paymentIds);
        if (paymentIds.Count(State.Payments.Remove) > 0)
        {
            await state.WriteStateAsync();
        }
    }

    /// <summary>Sessions last asked for longer ago than Stripe keeps one open cannot be paid any more.</summary>
    private void ForgetLapsed()
    {
        var now = Now;
        foreach (var paymentId in State.Payments.Where(p => now - p.Value >= SessionLifetime).Select(p => p.Key).ToArray())
        {
            State.Payments.Remove(paymentId);
        }
    }
}
