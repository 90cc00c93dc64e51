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

    /// <summary>
    /// Refuses new sessions until this close ends (<see cref="EndClose"/> with its token), or is taken as lost after a
    /// while, and returns every payment noted. Closes at once each hold the refusal until they end.
    /// </summary>
    Task<CloseStart> BeginClose();

    /// <summary>Ends the close of <paramref name="token"/>: <paramref name="closed"/>, sessions stay refused for good.</summary>
    Task EndClose(string token, bool closed);

    /// <summary>The account is closed (however its close ended): no session is handed out again.</summary>
    Task AccountClosed();

    /// <summary>Drops payments whose sessions can no longer be paid.</summary>
    Task Forget(IReadOnlyList<string> paymentIds);
}
