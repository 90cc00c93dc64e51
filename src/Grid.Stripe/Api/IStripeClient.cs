using Grid.Stripe.Api.Objects;
using Grid.Stripe.Api.Requests;

namespace Grid.Stripe.Api;

/// <summary>
/// The Stripe REST calls the grid makes. Failures are <see cref="Errors.StripeException"/>s; bad arguments
/// are <see cref="ArgumentException"/>s, thrown before anything is sent.
/// </summary>
public interface IStripeClient
{
    /// <summary>Creates (or, for a payment id seen before, returns again) the Checkout Session of a top-up.</summary>
    Task<StripeCheckoutSession> CreateCheckoutSessionAsync(CheckoutSessionCreateRequest request, CancellationToken cancellationToken);

    /// <summary>Creates and confirms (or, for a payment id seen before, returns again) an off-session PaymentIntent.</summary>
    Task<StripePaymentIntent> CreatePaymentIntentAsync(OffSessionPaymentIntentCreateRequest request, CancellationToken cancellationToken);

    Task<StripeCheckoutSession> RetrieveCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Expires an open Checkout Session of payment <paramref name="paymentId"/>, so it can no longer be paid. Stripe
    /// refuses (<see cref="Errors.StripeInvalidRequestException"/>) a session that is complete or expired already. Each
    /// call sends a new idempotency key: a repeat is safe, and is refused once the first took effect.
    /// </summary>
    Task<StripeCheckoutSession> ExpireCheckoutSessionAsync(string sessionId, string paymentId, CancellationToken cancellationToken);

    Task<StripePaymentIntent> RetrievePaymentIntentAsync(string paymentIntentId, CancellationToken cancellationToken);

    Task<StripeCharge> RetrieveChargeAsync(string chargeId, CancellationToken cancellationToken);
}
