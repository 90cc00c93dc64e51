using Grid.Runtime;

namespace Grid.Contracts.Payments;

/// <summary>
/// The Checkout Sessions an account has handed out that may still be paid (key: account id). A session outlives
/// nothing it cannot pay for: before the account closes, each is expired at Stripe, and while the close is under way
/// no new one is handed out, so no card is charged for credits a closed account could never take.
/// </summary>
public interface IOpenCheckoutsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Notes payment <paramref name="paymentId"/>'s session before Stripe is asked for it. Refused (<c>invalid_state</c>)
    /// while the account is being closed, or when it has as many sessions open as it may.
    /// </summary>
    Task Register(string paymentId);

    /// <summary>Refuses new sessions for a while (the close's own time) and returns the payments whose sessions may still be open.</summary>
    Task<IReadOnlyList<string>> BeginClose();

    /// <summary>Drops payments whose sessions can no longer be paid.</summary>
    Task Forget(IReadOnlyList<string> paymentIds);
}
