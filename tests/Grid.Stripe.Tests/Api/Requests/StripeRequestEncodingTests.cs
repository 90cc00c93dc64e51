using Grid.Stripe.Api;
using Grid.Stripe.Api.Requests;
using Grid.Stripe.TestKit.StandIn;
using Grid.Stripe.Tests.Api.Support;

namespace Grid.Stripe.Tests.Api.Requests;

public sealed class StripeRequestEncodingTests
{
    [Fact]
    public void A_checkout_session_request_encodes_to_exactly_these_fields()
    {
        var request = StripeHarness.Checkout() with
        {
            CustomerId = StripeStandIn.CustomerId,
            SaveCardForOffSession = true,
            PaymentMethodTypes = ["card"],
            Metadata = new Dictionary<string, string> { ["package"] = "credits_2000" },
        };

        Assert.Equal(
            "mode=payment"
            + "&line_items[0][price_data][currency]=usd"
            + "&line_items[0][price_data][unit_amount]=2000"
            + "&line_items[0][price_data][product_data][name]=2%2C000%20credits"
            + "&line_items[0][quantity]=1"
            + "&success_url=https%3A%2F%2Fgrid.example%2Ftopups%2Fdone%3Fsession%3D%7BCHECKOUT_SESSION_ID%7D"
            + "&cancel_url=https%3A%2F%2Fgrid.example%2Ftopups%2Fcancelled"
            + "&client_reference_id=pay_01JD4TOPUP"
            + "&customer=cus_GridStandIn01"
            + "&payment_method_types[0]=card"
            + "&metadata[account_id]=acct-ada"
            + "&metadata[package]=credits_2000"
            + "&metadata[payment_id]=pay_01JD4TOPUP"
            + "&payment_intent_data[metadata][account_id]=acct-ada"
            + "&payment_intent_data[metadata][package]=credits_2000"
            + "&payment_intent_data[metadata][payment_id]=pay_01JD4TOPUP"
            + "&payment_intent_data[setup_future_usage]=off_session",
            request.ToForm().Encode());
    }

    [Fact]
    public void Optional_checkout_fields_are_left_out_when_not_given()
    {
        var encoded = StripeHarness.Checkout().ToForm().Encode();

        Assert.DoesNotContain("customer=", encoded, StringComparison.Ordinal);
        Assert.DoesNotContain("payment_method_types", encoded, StringComparison.Ordinal);
        Assert.DoesNotContain("setup_future_usage", encoded, StringComparison.Ordinal);
        Assert.EndsWith("&payment_intent_data[metadata][payment_id]=pay_01JD4TOPUP", encoded, StringComparison.Ordinal);
    }

    [Fact]
    public void An_off_session_payment_intent_request_encodes_to_exactly_these_fields()
    {
        var request = StripeHarness.AutoReload(StripeStandIn.CardSucceeds);

        Assert.Equal(
            "amount=5000"
            + "&currency=usd"
            + "&customer=cus_GridStandIn01"
            + "&payment_method=pm_card_visa"
            + "&off_session=true"
            + "&confirm=true"
            + "&payment_method_types[0]=card"
            + "&description=Auto-reload%3A%205%2C000%20credits"
            + "&metadata[account_id]=acct-ada"
            + "&metadata[payment_id]=pay_01JD4RELOAD",
            request.ToForm().Encode());
    }

    [Fact]
    public void Idempotency_keys_follow_from_the_payment_id_and_the_operation_alone()
    {
        Assert.Equal("grid:pay_01JD4TOPUP:checkout", StripeIdempotencyKey.ForCheckoutSession("pay_01JD4TOPUP"));
        Assert.Equal("grid:pay_01JD4TOPUP:payment_intent", StripeIdempotencyKey.ForPaymentIntent("pay_01JD4TOPUP"));
        Assert.Equal(StripeIdempotencyKey.ForCheckoutSession("op.1:a-b_c"), StripeIdempotencyKey.ForCheckoutSession("op.1:a-b_c"));
        Assert.Throws<ArgumentException>(() => StripeIdempotencyKey.ForCheckoutSession("pay 1"));
        Assert.Throws<ArgumentException>(() => StripeIdempotencyKey.ForPaymentIntent(new string('p', 129)));
    }

    public static TheoryData<string, Func<CheckoutSessionCreateRequest, CheckoutSessionCreateRequest>> BadCheckouts => new()
    {
        { "PaymentId", r => r with { PaymentId = "" } },
        { "PaymentId", r => r with { PaymentId = "pay/1" } },
        { "AccountId", r => r with { AccountId = " " } },
        { "UnitAmount", r => r with { UnitAmount = 0 } },
        { "UnitAmount", r => r with { UnitAmount = -500 } },
        { "UnitAmount", r => r with { UnitAmount = 100_000_000 } },
        { "Currency", r => r with { Currency = "USD" } },
        { "Currency", r => r with { Currency = "usdt" } },
        { "ProductName", r => r with { ProductName = "" } },
        { "SuccessUrl", r => r with { SuccessUrl = "/topups/done" } },
        { "CancelUrl", r => r with { CancelUrl = "javascript:alert(1)" } },
        { "CustomerId", r => r with { CustomerId = "acct_1" } },
        { "PaymentMethodTypes", r => r with { PaymentMethodTypes = ["Card"] } },
        { "Metadata", r => r with { Metadata = new Dictionary<string, string> { ["payment_id"] = "other" } } },
        { "Metadata", r => r with { Metadata = new Dictionary<string, string> { [new string('k', 41)] = "v" } } },
        { "Metadata", r => r with { Metadata = new Dictionary<string, string> { ["k"] = new string('v', 501) } } },
        { "Metadata", r => r with { Metadata = new Dictionary<string, string> { ["a[b]"] = "v" } } },
        { "Metadata", r => r with { Metadata = Enumerable.Range(0, 49).ToDictionary(i => $"k{i}", i => "v") } },
    };

    [Theory]
    [MemberData(nameof(BadCheckouts))]
    public void A_bad_checkout_field_is_refused_before_anything_is_sent(string field, Func<CheckoutSessionCreateRequest, CheckoutSessionCreateRequest> spoil)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => spoil(StripeHarness.Checkout()).ToForm());

        Assert.Equal(field, error.ParamName);
    }

    public static TheoryData<string, Func<OffSessionPaymentIntentCreateRequest, OffSessionPaymentIntentCreateRequest>> BadPaymentIntents => new()
    {
        { "PaymentId", r => r with { PaymentId = "pay 1" } },
        { "Amount", r => r with { Amount = 0 } },
        { "Currency", r => r with { Currency = "eu" } },
        { "CustomerId", r => r with { CustomerId = "pm_card_visa" } },
        { "PaymentMethodId", r => r with { PaymentMethodId = "cus_GridStandIn01" } },
        { "PaymentMethodId", r => r with { PaymentMethodId = "pm_" } },
        { "Description", r => r with { Description = "" } },
        { "Metadata", r => r with { Metadata = new Dictionary<string, string> { ["account_id"] = "someone-else" } } },
    };

    [Theory]
    [MemberData(nameof(BadPaymentIntents))]
    public void A_bad_payment_intent_field_is_refused_before_anything_is_sent(
        string field,
        Func<OffSessionPaymentIntentCreateRequest, OffSessionPaymentIntentCreateRequest> spoil)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => spoil(StripeHarness.AutoReload(StripeStandIn.CardSucceeds)).ToForm());

        Assert.Equal(field, error.ParamName);
    }
}
