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

    /// <summary>How long after a close began new sessions are refused: the close takes milliseconds once the sessions are expired.</summary>
    public static readonly TimeSpan ClosingHold = TimeSpan.FromMinutes(1);

    /// <summary>Sessions an account may have open at once (a day's worth of top-ups and then some); bounds the state.</summary>
    public const int MaxOpen = 200;

    private OpenCheckoutsState State => state.State;

    private DateTimeOffset Now => Context.TimeProvider.GetUtcNow();

    public async Task Register(string paymentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentId);
        if (State.ClosingSince is { } since && Now - since < ClosingHold)
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Account {GrainId.Key} is being closed; no Checkout Session is handed out.", "accountId");
        }

        if (State.Payments.ContainsKey(paymentId))
        {
            return;
        }

        ForgetLapsed();
        if (State.Payments.Count >= MaxOpen)
        {
            throw new LedgerException(
                LedgerErrorCodes.InvalidState,
                $"Account {GrainId.Key} has {MaxOpen} Checkout Sessions open, the most it may; pay one, or start again once one has expired.",
                "accountId");
        }

        State.Payments[paymentId] = Now;
        await state.WriteStateAsync();
    }

    public async Task<IReadOnlyList<string>> BeginClose()
    {
        ForgetLapsed();
        State.ClosingSince = Now;
        await state.WriteStateAsync();
        return [.. State.Payments.Keys.Order(StringComparer.Ordinal)];
    }

    public async Task Forget(IReadOnlyList<string> paymentIds)
    {
        ArgumentNullException.ThrowIfNull(paymentIds);
        var removed = paymentIds.Count(State.Payments.Remove);
        if (removed > 0)
        {
            await state.WriteStateAsync();
        }
    }

    /// <summary>Sessions asked for longer ago than Stripe keeps one open cannot be paid any more.</summary>
    private void ForgetLapsed()
    {
        var now = Now;
        foreach (var paymentId in State.Payments.Where(p => now - p.Value >= SessionLifetime).Select(p => p.Key).ToArray())
        {
            State.Payments.Remove(paymentId);
        }
    }
}
