using Grid.Stripe.Api.Forms;

namespace Grid.Stripe.Api.Requests;

/// <summary>
/// An auto-reload charge: a PaymentIntent created and confirmed at once against a saved card while the
/// customer is away (<c>off_session=true</c>, <c>confirm=true</c>), by card only (<c>payment_method_types[]=card</c>):
/// nobody is there to follow a redirect, so Stripe needs no <c>return_url</c>, and a bank debit would stay processing
/// for days.
/// </summary>
/// <remarks>
/// A decline, or a card that needs the customer to authenticate, comes back as a
/// <see cref="Errors.StripeCardException"/> (402) that names the PaymentIntent. Credits are granted only by
/// the <c>payment_intent.succeeded</c> webhook, never by this call's answer.
/// </remarks>
public sealed record OffSessionPaymentIntentCreateRequest
{
    /// <summary>Our payment id; it also derives the idempotency key.</summary>
    public required string PaymentId { get; init; }

    /// <summary>The account the credits go to.</summary>
    public required string AccountId { get; init; }

    /// <summary>The amount in the currency's smallest unit (cents).</summary>
    public required long Amount { get; init; }

    /// <summary>Lower-case ISO currency code, e.g. <c>usd</c>.</summary>
    public required string Currency { get; init; }

    /// <summary>The Stripe customer (<c>cus_...</c>) the card is saved on.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The saved payment method (<c>pm_...</c>, or a legacy <c>card_...</c>).</summary>
    public required string PaymentMethodId { get; init; }

    /// <summary>What appears on the payment in the dashboard.</summary>
    public string? Description { get; init; }

    /// <summary>More metadata; <c>account_id</c> and <c>payment_id</c> are set by the grid and may not be given.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Checks the request and encodes it; throws <see cref="ArgumentException"/> on a bad field.</summary>
    internal StripeFormEncoder ToForm()
    {
        StripeIdempotencyKey.ValidatePaymentId(PaymentId, nameof(PaymentId));
        StripeRequestRules.Text(AccountId, StripeMetadataRules.MaxValueLength, nameof(AccountId));
        StripeRequestRules.Amount(Amount, nameof(Amount));
        StripeRequestRules.Currency(Currency, nameof(Currency));
        StripeRequestRules.ObjectId(CustomerId, "cus_", nameof(CustomerId));
        if (!StripeObjectIds.IsSavedPaymentMethod(PaymentMethodId))
        {
            throw new ArgumentException("A saved payment method id starts with \"pm_\" (or \"card_\").", nameof(PaymentMethodId));
        }

        if (Description is not null)
        {
            StripeRequestRules.Text(Description, 1000, nameof(Description));
        }

        var metadata = StripeMetadataRules.Merge(
            new Dictionary<string, string> { ["account_id"] = AccountId, ["payment_id"] = PaymentId },
            Metadata,
            nameof(Metadata));

        // Cards only: a saved bank debit (ACH, SEPA) stays processing for days, past the time a charge may stay pending, and
        // could succeed after the account was closed. A card also never redirects, which an off-session charge cannot.
        return new StripeFormEncoder()
            .Add("amount", Amount)
            .Add("currency", Currency)
            .Add("customer", CustomerId)
            .Add("payment_method", PaymentMethodId)
            .Add("off_session", true)
            .Add("confirm", true)
            .AddList("payment_method_types", ["card"])
            .AddIfPresent("description", Description)
            .AddMetadata("metadata", metadata);
    }
}
