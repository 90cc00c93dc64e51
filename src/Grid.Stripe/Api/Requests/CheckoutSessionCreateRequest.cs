using Grid.Stripe.Api.Forms;

namespace Grid.Stripe.Api.Requests;

/// <summary>
/// A Checkout Session for one card top-up: payment mode, a single line item priced inline, our payment id as
/// <c>client_reference_id</c>, and the account and payment ids in the metadata of both the session and the
/// PaymentIntent it creates (so charge, refund and dispute events lead back to the payment too).
/// </summary>
public sealed record CheckoutSessionCreateRequest
{
    /// <summary>Our payment id; it also derives the idempotency key.</summary>
    public required string PaymentId { get; init; }

    /// <summary>The account the credits go to.</summary>
    public required string AccountId { get; init; }

    /// <summary>The price in the currency's smallest unit (cents).</summary>
    public required long UnitAmount { get; init; }

    /// <summary>Lower-case ISO currency code, e.g. <c>usd</c>.</summary>
    public required string Currency { get; init; }

    /// <summary>What the payer sees on the Checkout page, e.g. "2,000 credits".</summary>
    public required string ProductName { get; init; }

    /// <summary>Where Checkout sends the payer after paying; may hold <c>{CHECKOUT_SESSION_ID}</c>.</summary>
    public required string SuccessUrl { get; init; }

    /// <summary>Where Checkout sends the payer who goes back.</summary>
    public required string CancelUrl { get; init; }

    /// <summary>An existing Stripe customer (<c>cus_...</c>) to attach the payment to, if the account has one.</summary>
    public string? CustomerId { get; init; }

    /// <summary>
    /// Saves the card for later off-session charges (auto-reload):
    /// <c>payment_intent_data[setup_future_usage]=off_session</c>.
    /// </summary>
    public bool SaveCardForOffSession { get; init; }

    /// <summary>Restricts the payment methods offered (e.g. <c>card</c>); empty lets Stripe choose from the dashboard settings.</summary>
    public IReadOnlyList<string> PaymentMethodTypes { get; init; } = [];

    /// <summary>More metadata; <c>account_id</c> and <c>payment_id</c> are set by the grid and may not be given.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Checks the request and encodes it; throws <see cref="ArgumentException"/> on a bad field.</summary>
    internal StripeFormEncoder ToForm()
    {
        StripeIdempotencyKey.ValidatePaymentId(PaymentId, nameof(PaymentId));
        StripeRequestRules.Text(AccountId, StripeMetadataRules.MaxValueLength, nameof(AccountId));
        StripeRequestRules.Amount(UnitAmount, nameof(UnitAmount));
        StripeRequestRules.Currency(Currency, nameof(Currency));
        StripeRequestRules.Text(ProductName, 250, nameof(ProductName));
        StripeRequestRules.AbsoluteUrl(SuccessUrl, nameof(SuccessUrl));
        StripeRequestRules.AbsoluteUrl(CancelUrl, nameof(CancelUrl));
        if (CustomerId is not null)
        {
            StripeRequestRules.ObjectId(CustomerId, "cus_", nameof(CustomerId));
        }

        ArgumentNullException.ThrowIfNull(PaymentMethodTypes, nameof(PaymentMethodTypes));
        if (PaymentMethodTypes.Any(t => string.IsNullOrEmpty(t) || !t.All(c => char.IsAsciiLetterLower(c) || c == '_')))
        {
            throw new ArgumentException("A payment method type is lower-case letters and '_', e.g. \"card\".", nameof(PaymentMethodTypes));
        }

        var metadata = StripeMetadataRules.Merge(
            new Dictionary<string, string> { ["account_id"] = AccountId, ["payment_id"] = PaymentId },
            Metadata,
            nameof(Metadata));

        var lineItem = StripeFormKey.Of("line_items")[0];
        var form = new StripeFormEncoder()
            .Add("mode", "payment")
            .Add(lineItem["price_data"]["currency"], Currency)
            .Add(lineItem["price_data"]["unit_amount"], UnitAmount)
            .Add(lineItem["price_data"]["product_data"]["name"], ProductName)
            .Add(lineItem["quantity"], 1)
            .Add("success_url", SuccessUrl)
            .Add("cancel_url", CancelUrl)
            .Add("client_reference_id", PaymentId)
            .AddIfPresent("customer", CustomerId)
            .AddList("payment_method_types", PaymentMethodTypes)
            .AddMetadata("metadata", metadata)
            .AddMetadata(StripeFormKey.Of("payment_intent_data")["metadata"], metadata);
        if (SaveCardForOffSession)
        {
            form.Add(StripeFormKey.Of("payment_intent_data")["setup_future_usage"], "off_session");
        }

        return form;
    }
}
