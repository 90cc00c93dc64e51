using Grid.Stripe.Api;
using Grid.Stripe.Api.Errors;
using Grid.Stripe.TestKit.StandIn;
using Grid.Stripe.Tests.Api.Support;

namespace Grid.Stripe.Tests.Api;

public sealed class StripeClientCheckoutTests
{
    [Fact]
    public async Task Creates_a_checkout_session_with_the_key_the_pinned_version_the_form_and_the_idempotency_key()
    {
        await using var h = await StripeHarness.StartAsync();
        var request = StripeHarness.Checkout() with { CustomerId = StripeStandIn.CustomerId, SaveCardForOffSession = true };

        var session = await h.RunAsync(c => c.CreateCheckoutSessionAsync(request, CancellationToken.None));

        var sent = Assert.Single(h.Stripe.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/checkout/sessions", sent.Path);
        Assert.Equal("Bearer " + StripeStandIn.SecretKey, sent.Authorization);
        Assert.Equal("2024-06-20", sent.StripeVersion);
        Assert.Equal("application/x-www-form-urlencoded", sent.ContentType);
        Assert.Equal("grid:pay_01JD4TOPUP:checkout", sent.IdempotencyKey);
        Assert.Equal(request.ToForm().Encode(), sent.RawBody);
        Assert.Equal(
            [
                KeyValuePair.Create("mode", "payment"),
                KeyValuePair.Create("line_items[0][price_data][currency]", "usd"),
                KeyValuePair.Create("line_items[0][price_data][unit_amount]", "2000"),
                KeyValuePair.Create("line_items[0][price_data][product_data][name]", "2,000 credits"),
                KeyValuePair.Create("line_items[0][quantity]", "1"),
                KeyValuePair.Create("success_url", "https://grid.example/topups/done?session={CHECKOUT_SESSION_ID}"),
                KeyValuePair.Create("cancel_url", "https://grid.example/topups/cancelled"),
                KeyValuePair.Create("client_reference_id", "pay_01JD4TOPUP"),
                KeyValuePair.Create("customer", "cus_GridStandIn01"),
                KeyValuePair.Create("metadata[account_id]", "acct-ada"),
                KeyValuePair.Create("metadata[payment_id]", "pay_01JD4TOPUP"),
                KeyValuePair.Create("payment_intent_data[metadata][account_id]", "acct-ada"),
                KeyValuePair.Create("payment_intent_data[metadata][payment_id]", "pay_01JD4TOPUP"),
                KeyValuePair.Create("payment_intent_data[setup_future_usage]", "off_session"),
            ],
            sent.Form);

        Assert.Equal(1, h.Stripe.CheckoutSessionsCreated);
        Assert.StartsWith("cs_test_", session.Id, StringComparison.Ordinal);
        Assert.Equal(StripeCheckoutSessionType, session.ObjectType);
        Assert.StartsWith("https://checkout.stripe.com/c/pay/" + session.Id, session.Url, StringComparison.Ordinal);
        Assert.Equal("open", session.Status);
        Assert.Equal("unpaid", session.PaymentStatus);
        Assert.Equal("payment", session.Mode);
        Assert.Equal(2000, session.AmountTotal);
        Assert.Equal("usd", session.Currency);
        Assert.Equal("pay_01JD4TOPUP", session.ClientReferenceId);
        Assert.Equal(StripeStandIn.CustomerId, session.CustomerId);
        Assert.Null(session.PaymentIntentId);
        Assert.Equal("acct-ada", session.Metadata["account_id"]);
        Assert.Equal("pay_01JD4TOPUP", session.Metadata["payment_id"]);
        Assert.Equal(h.Clock.GetUtcNow().ToUnixTimeSeconds(), session.Created);
        Assert.Equal(session.Created + 86_400, session.ExpiresAt);
        Assert.False(session.Livemode);
    }

    [Fact]
    public async Task Unicode_and_reserved_characters_in_metadata_reach_stripe_unchanged()
    {
        await using var h = await StripeHarness.StartAsync();
        var metadata = new Dictionary<string, string>
        {
            ["note"] = "Zoë & Ünï = 100% ✓ [x]/?#+ 🎉",
            ["заказ"] = "日本語",
        };

        var session = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout() with { Metadata = metadata }, CancellationToken.None));

        Assert.Equal(metadata["note"], session.Metadata["note"]);
        Assert.Equal("日本語", session.Metadata["заказ"]);
        var body = Assert.Single(h.Stripe.Requests).RawBody;
        Assert.Contains("&metadata[note]=Zo%C3%AB%20%26%20%C3%9Cn%C3%AF%20%3D%20100%25%20%E2%9C%93%20%5Bx%5D%2F%3F%23%2B%20%F0%9F%8E%89&", body, StringComparison.Ordinal);
        Assert.Contains("&metadata[%D0%B7%D0%B0%D0%BA%D0%B0%D0%B7]=%E6%97%A5%E6%9C%AC%E8%AA%9E", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_again_for_the_same_payment_returns_the_same_session_and_creates_no_other()
    {
        await using var h = await StripeHarness.StartAsync();

        var first = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));
        var again = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));

        Assert.Equivalent(first, again, strict: true);
        Assert.Equal(1, h.Stripe.CheckoutSessionsCreated);
        Assert.Equal(1, h.Stripe.Replays);
        Assert.All(h.Stripe.Requests, r => Assert.Equal("grid:pay_01JD4TOPUP:checkout", r.IdempotencyKey));
    }

    [Fact]
    public async Task Different_payments_get_different_keys_and_sessions()
    {
        await using var h = await StripeHarness.StartAsync();

        var one = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout("pay_one"), CancellationToken.None));
        var two = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout("pay_two"), CancellationToken.None));

        Assert.NotEqual(one.Id, two.Id);
        Assert.Equal(2, h.Stripe.CheckoutSessionsCreated);
        Assert.Equal(["grid:pay_one:checkout", "grid:pay_two:checkout"], h.Stripe.Requests.Select(r => r.IdempotencyKey));
    }

    [Fact]
    public async Task The_same_payment_with_other_parameters_is_an_idempotency_error_and_is_not_retried()
    {
        await using var h = await StripeHarness.StartAsync();
        await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(unitAmount: 2000), CancellationToken.None));

        var error = await Assert.ThrowsAsync<StripeInvalidRequestException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(unitAmount: 5000), CancellationToken.None)));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("idempotency_error", error.ErrorType);
        Assert.Equal(2, h.Stripe.Requests.Count);
        Assert.Equal(1, h.Stripe.CheckoutSessionsCreated);
        Assert.Empty(h.Backoffs);
    }

    [Fact]
    public async Task A_bad_request_is_refused_before_anything_is_sent()
    {
        await using var h = await StripeHarness.StartAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout() with { Currency = "USD" }, CancellationToken.None)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => h.RunAsync(c => c.RetrieveCheckoutSessionAsync("pi_123", CancellationToken.None)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => h.RunAsync(c => c.RetrieveChargeAsync("ch_../../v1/customers", CancellationToken.None)));

        Assert.Empty(h.Stripe.Requests);
    }

    [Fact]
    public async Task A_session_is_retrieved_by_id_with_a_get_that_carries_no_idempotency_key()
    {
        await using var h = await StripeHarness.StartAsync();
        var created = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));

        var retrieved = await h.RunAsync(c => c.RetrieveCheckoutSessionAsync(created.Id, CancellationToken.None));

        Assert.Equivalent(created, retrieved, strict: true);
        var get = h.Stripe.Requests[^1];
        Assert.Equal("GET", get.Method);
        Assert.Equal("/v1/checkout/sessions/" + created.Id, get.Path);
        Assert.Equal("Bearer " + StripeStandIn.SecretKey, get.Authorization);
        Assert.Equal(StripeClientOptions.ApiVersion, get.StripeVersion);
        Assert.Null(get.IdempotencyKey);
        Assert.Equal("", get.RawBody);
    }

    [Fact]
    public async Task An_open_session_is_expired_with_a_keyed_post_and_a_second_expiry_is_refused()
    {
        await using var h = await StripeHarness.StartAsync();
        var created = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));

        var expired = await h.RunAsync(c => c.ExpireCheckoutSessionAsync(created.Id, "pay_01JD4TOPUP", CancellationToken.None));

        Assert.Equal(("expired", null), (expired.Status, expired.Url));
        var post = h.Stripe.Requests[^1];
        Assert.Equal(("POST", "/v1/checkout/sessions/" + created.Id + "/expire"), (post.Method, post.Path));
        Assert.StartsWith("grid:pay_01JD4TOPUP:checkout_expire:", post.IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal("", post.RawBody);

        // Asked again (a new key each time, so no failed first answer is replayed): an expired session is refused.
        var again = await Assert.ThrowsAsync<StripeInvalidRequestException>(
            () => h.RunAsync(c => c.ExpireCheckoutSessionAsync(created.Id, "pay_01JD4TOPUP", CancellationToken.None)));
        Assert.Contains("expired", again.Message, StringComparison.Ordinal);
        Assert.NotEqual(post.IdempotencyKey, h.Stripe.Requests[^1].IdempotencyKey);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => h.RunAsync(c => c.ExpireCheckoutSessionAsync("pi_123", "pay_01JD4TOPUP", CancellationToken.None)));
    }

    [Fact]
    public async Task An_unknown_object_is_an_invalid_request_naming_the_missing_resource()
    {
        await using var h = await StripeHarness.StartAsync();

        var error = await Assert.ThrowsAsync<StripeInvalidRequestException>(
            () => h.RunAsync(c => c.RetrieveCheckoutSessionAsync("cs_test_doesnotexist", CancellationToken.None)));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("resource_missing", error.ErrorCode);
        Assert.Equal("id", error.Param);
        Assert.Equal(h.Stripe.Requests.Single().RequestId, error.RequestId);
        Assert.Contains("No such checkout.session: 'cs_test_doesnotexist'", error.Message, StringComparison.Ordinal);
    }

    private const string StripeCheckoutSessionType = "checkout.session";
}
