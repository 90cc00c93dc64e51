using Grid.Runtime;

namespace Grid.Contracts.Payments;

/// <summary>
/// One incoming card payment (key: payment id). It credits its account exactly once, however often and in
/// whatever order Stripe delivers its events, and reverses what refunds and lost disputes take back. Its
/// state is its record plus the fold of its processed events.
/// </summary>
public interface IPaymentGrain : IGrainWithStringKey
{
    /// <summary>Records the payment and creates its Checkout Session (or returns the one created before).</summary>
    Task<PaymentView> StartCheckout(CheckoutStart start);

    /// <summary>
    /// Records an auto-reload payment and creates its off-session PaymentIntent (or returns it again). A decline is
    /// answered as status <c>failed</c>; credits come only from the <c>payment_intent.succeeded</c> webhook.
    /// </summary>
    Task<PaymentView> StartAutoReload(AutoReloadStart start);

    /// <summary>
    /// Makes the payment's Checkout Session unpayable (expired at Stripe) ahead of its account's close. Null when it
    /// can no longer be paid; else why the account must not close yet (paid at Stripe, its credit still to come, or a
    /// session whose creation went unanswered and may exist until it expires by itself).
    /// </summary>
    Task<string?> ExpireCheckout();

    /// <summary>Applies a verified Stripe event that belongs to this payment; returns the outcome recorded.</summary>
    Task<string> Handle(CardPaymentEvent cardEvent);

    /// <summary>The payment, or null when no payment has this id.</summary>
    [Idempotent]
    Task<PaymentView?> Get();
}
