using Grid.Runtime;

namespace Grid.Contracts.Payments;

/// <summary>
/// One account's auto-reload (key: account id). It charges the saved card at most once at a time, counts
/// failures with backoff and a limit, and never credits anything itself: only the payment's
/// <c>payment_intent.succeeded</c> webhook does.
/// </summary>
public interface IAutoReloadGrain : IGrainWithStringKey
{
    /// <summary>Saves the settings and turns auto-reload on (failures reset).</summary>
    Task<AutoReloadView> Configure(AutoReloadSettings settings);

    /// <summary>Turns auto-reload off; a charge under way still completes.</summary>
    Task<AutoReloadView> Disable();

    [Idempotent]
    Task<AutoReloadView> Get();

    /// <summary>
    /// Why the account may not be closed now, or null: auto-reload is on, or a charge of it may still be credited (under
    /// way, or let go without an answer but young enough for Stripe's webhook to come). The account itself refuses to
    /// close while its auto-reload threshold is set; this names what else to wait for.
    /// </summary>
    [Idempotent]
    Task<string?> ClosingRefusal();

    /// <summary>The account's available balance fell below the threshold: charge now unless one is under way or backing off.</summary>
    [Idempotent]
    Task Trigger();

    /// <summary>
    /// The card rail took credits back from the account (a refund or a dispute of card payment
    /// <paramref name="paymentId"/>), after clearing the account's auto-reload threshold: auto-reload turns off, with
    /// that as its reason. Charging the saved card again for credits its holder is taking back would be a charge nobody
    /// asked for (and, after a dispute, the next chargeback); saving the settings again turns it back on.
    /// </summary>
    [Idempotent]
    Task CreditsTakenBack(string paymentId);

    /// <summary>An auto-reload payment ended: credited (<paramref name="succeeded"/>) or failed.</summary>
    [Idempotent]
    Task Completed(string paymentId, bool succeeded);
}
