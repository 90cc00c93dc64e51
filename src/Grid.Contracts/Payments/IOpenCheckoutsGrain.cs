using Grid.Runtime;

namespace Grid.Contracts.Payments;

/// <summary>
/// The Checkout Sessions an account has handed out (key: account id). Before the account closes, each is expired at
/// Stripe, and from the start of the close no new one is handed out (for good once it closed), so no card is charged
/// for credits a closed account could never take.
/// </summary>
public interface IOpenCheckoutsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Notes payment <paramref name="paymentId"/>'s session before Stripe is asked for it (again). Refused
    /// (<c>invalid_state</c>) while the account is being closed or once it closed, and when it has as many sessions
    /// noted as it may.
    /// </summary>
    Task Register(string paymentId);

    /// <summary>Refuses new sessions until <see cref="EndClose"/> and returns every payment noted.</summary>
    Task<IReadOnlyList<string>> BeginClose();

    /// <summary>Ends a close: <paramref name="closed"/>, sessions stay refused for good; else they may start again.</summary>
    Task EndClose(bool closed);

    /// <summary>Drops payments whose sessions can no longer be paid.</summary>
    Task Forget(IReadOnlyList<string> paymentIds);
}
