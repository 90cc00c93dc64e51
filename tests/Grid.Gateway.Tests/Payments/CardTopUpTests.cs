using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Gateway.Tests.Sessions;
using Grid.Gateway.Tests.Support;
using Grid.Stripe.Events;
using Grid.Stripe.TestKit;
using Grid.Stripe.TestKit.Events;
using Grid.Stripe.TestKit.Objects;

namespace Grid.Gateway.Tests.Payments;

/// <summary>
/// Card top-ups end to end: HTTP in (checkout, then Stripe's signed webhook), Stripe's side played by the stand-in,
/// balance, journal and processed_events out.
/// </summary>
public sealed class CardTopUpTests(CardSiloFixture card) : IClassFixture<CardSiloFixture>
{
    [Fact]
    public async Task Packages_are_the_configured_ones()
    {
        var response = await card.Api.GetAsync("/v1/topups/packages", key: null);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var packages = response.Json.GetProperty("packages").EnumerateArray()
            .Select(p => (p.GetProperty("id").GetString(), p.GetProperty("credits").GetInt64(), p.GetProperty("priceCents").GetInt64(), p.GetProperty("currency").GetString()))
            .ToList();
        Assert.Equal(
            [("credits-500", 500L, 50L, "usd"), ("credits-2000", 2_000L, 200L, "usd"), ("credits-5000", 5_000L, 500L, "usd"), ("credits-10000", 10_000L, 1_000L, "usd")],
            packages);
    }

    [Fact]
    public async Task A_completed_checkout_credits_the_account_once_with_the_payment_as_reference()
    {
        var account = await card.Api.CreateAccountAsync();
        var (paymentId, session) = await card.StartCheckoutAsync(account, "topup-1");

        var created = card.Stripe.Requests.Single(r => r.Path == "/v1/checkout/sessions" && r.Field("client_reference_id") == paymentId);
        Assert.Equal($"grid:{paymentId}:checkout", created.IdempotencyKey);
        Assert.Equal("200", created.Field("line_items[0][price_data][unit_amount]"));
        Assert.Equal(account, created.Field("metadata[account_id]"));
        Assert.Equal(paymentId, created.Field("payment_intent_data[metadata][payment_id]"));
        Assert.Equal("pending", await card.PaymentStatusAsync(paymentId));
        Assert.Equal(0, CardSiloFixture.Available(await AccountAsync(account)));
        // No return URL configured: the payer comes back to the payment's status on the address this gateway listens on.
        Assert.Equal(new Uri(card.Silo.Http.BaseAddress!, $"/v1/payments/{paymentId}").ToString(), session.SuccessUrl);

        var paid = card.Stripe.CompleteCheckoutSession(session.Id);
        var completed = StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(completed)));
        Assert.Equal("duplicate", CardSiloFixture.Outcome(await card.DeliverAsync(completed)));
        // Another event that also says "paid" (the async one) moves nothing more.
        Assert.Equal("stale", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionAsyncPaymentSucceeded(StripeTestIds.Event(), paid))));

        Assert.Equal(2_000, CardSiloFixture.Available(await AccountAsync(account)));
        var deposit = Assert.Single(await card.Api.JournalAsync(account), e => e.GetProperty("kind").GetString() == "deposit");
        Assert.Equal(2_000, deposit.GetProperty("amount").GetInt64());
        Assert.Equal(paymentId, deposit.GetProperty("reference").GetString());

        var payment = (await card.Api.GetAsync($"/v1/payments/{paymentId}")).Json; // the admin key
        Assert.Equal("credited", payment.GetProperty("status").GetString());
        Assert.Equal(2_000, payment.GetProperty("credited").GetInt64());
        Assert.Equal(account, payment.GetProperty("accountId").GetString());
        // Without a credential that may read the account (the payer's browser back from Checkout): the status, not whose.
        var anonymous = (await card.Api.GetAsync($"/v1/payments/{paymentId}", key: null)).Json;
        Assert.Equal(("credited", JsonValueKind.Null), (anonymous.GetProperty("status").GetString(), anonymous.GetProperty("accountId").ValueKind));
        var bad = await card.Api.GetAsync($"/v1/payments/{paymentId}", key: "gk_not_a_key");
        Assert.Equal(HttpStatusCode.Unauthorized, bad.Status);
        Assert.Equal("card", payment.GetProperty("rail").GetString());

        var recorded = (await card.ProcessedEventsAsync()).Where(e => e.PaymentId == paymentId).ToList();
        Assert.Equal(2, recorded.Count);
        Assert.Contains(recorded, e => e.Outcome == "applied");
        Assert.Contains(recorded, e => e.Outcome == "stale");
    }

    [Fact]
    public async Task A_live_mode_event_reaching_a_grid_on_a_test_key_is_not_acted_on_whatever_it_names()
    {
        var account = await card.Api.CreateAccountAsync();
        var (paymentId, session) = await card.StartCheckoutAsync(account, "topup-live");
        var paid = card.Stripe.CompleteCheckoutSession(session.Id);

        // Signed with a configured secret, naming this payment, but from the other mode (the stand-in's key is sk_test_).
        var live = System.Text.Json.Nodes.JsonNode.Parse(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid))!;
        live["livemode"] = true;
        Assert.Equal("ignored", CardSiloFixture.Outcome(await card.DeliverAsync(live.ToJsonString())));
        Assert.Equal("pending", await card.PaymentStatusAsync(paymentId));
        Assert.Equal(0, await card.AvailableAsync(account));

        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid))));
        Assert.Equal("credited", await card.PaymentStatusAsync(paymentId));
    }

    [Fact]
    public async Task The_same_operation_id_returns_the_same_payment_and_another_package_under_it_is_a_conflict()
    {
        var account = await card.Api.CreateAccountAsync();
        var (paymentId, session) = await card.StartCheckoutAsync(account, "topup-again", "credits-500");
        var again = await card.Api.PostAsync($"/v1/accounts/{account}/topups/checkout", new { operationId = "topup-again", packageId = "credits-500" });
        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Equal(paymentId, again.Json.GetProperty("paymentId").GetString());
        Assert.Equal(session.Url, again.Json.GetProperty("checkoutUrl").GetString());
        Assert.Single(card.Stripe.CheckoutSessions, s => s.ClientReferenceId == paymentId);

        var conflict = await card.Api.PostAsync($"/v1/accounts/{account}/topups/checkout", new { operationId = "topup-again", packageId = "credits-5000" });
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal("idempotency_conflict", conflict.Code);
        Assert.Equal("packageId", conflict.Json.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_custom_amount_buys_ten_credits_a_cent()
    {
        var account = await card.Api.CreateAccountAsync();
        var response = await card.Api.PostAsync($"/v1/accounts/{account}/topups/checkout", new { operationId = "custom-1", amountCents = 1234 });
        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal(12_340, response.Json.GetProperty("credits").GetInt64());
        var paymentId = response.Json.GetProperty("paymentId").GetString()!;
        var session = card.Stripe.CheckoutSessions.Single(s => s.ClientReferenceId == paymentId);
        Assert.Equal(1_234, session.AmountTotal);

        var paid = card.Stripe.CompleteCheckoutSession(session.Id);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid))));
        Assert.Equal(12_340, CardSiloFixture.Available(await AccountAsync(account)));
    }

    [Theory]
    [InlineData("{}", "operationId")]
    [InlineData("""{"operationId":"x"}""", "packageId")]
    [InlineData("""{"operationId":"x","packageId":"credits-500","amountCents":100}""", "packageId")]
    [InlineData("""{"operationId":"x","packageId":"nope"}""", "packageId")]
    [InlineData("""{"operationId":"x","amountCents":49}""", "amountCents")]
    [InlineData("""{"operationId":"x","amountCents":100000001}""", "amountCents")]
    [InlineData("""{"operationId":"bad id","packageId":"credits-500"}""", "operationId")]
    public async Task A_bad_checkout_request_names_the_field_and_asks_stripe_nothing(string body, string field)
    {
        var account = await card.Api.CreateAccountAsync();
        var before = card.Stripe.Requests.Count;
        var response = await card.Api.PostJsonAsync($"/v1/accounts/{account}/topups/checkout", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("validation_failed", response.Code);
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out _), response.ToString());
        Assert.Equal(before, card.Stripe.Requests.Count);
    }

    [Fact]
    public async Task Checkout_for_an_unknown_account_is_404_and_needs_a_charge_key()
    {
        var unknown = await card.Api.PostAsync("/v1/accounts/nobody-here/topups/checkout", new { operationId = "x", packageId = "credits-500" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);

        var account = await card.Api.CreateAccountAsync();
        var anonymous = await card.Api.PostJsonAsync($"/v1/accounts/{account}/topups/checkout", """{"operationId":"x","packageId":"credits-500"}""", key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
    }

    [Fact]
    public async Task A_checkout_past_the_accounts_cap_on_open_sessions_is_409_and_stores_nothing()
    {
        var account = await card.Api.CreateAccountAsync();
        const int cap = 200; // OpenCheckoutsGrain.MaxNoted: sessions an account may have open within Stripe's 24 hours
        for (var i = 0; i < cap; i++)
        {
            var started = await card.Api.PostAsync($"/v1/accounts/{account}/topups/checkout", new { operationId = $"cap-{i}", packageId = "credits-500" });
            Assert.True(started.Status == HttpStatusCode.Created, started.ToString());
        }

        var asks = card.Stripe.Requests.Count;
        var refused = await card.Api.PostAsync($"/v1/accounts/{account}/topups/checkout", new { operationId = "cap-over", packageId = "credits-500" });
        Assert.Equal((HttpStatusCode.Conflict, "invalid_state"), (refused.Status, refused.Code));
        Assert.Equal(asks, card.Stripe.Requests.Count);
        var stored = await card.Api.GetAsync($"/v1/payments/{Grid.Contracts.Payments.PaymentIds.For(account, "cap-over")}");
        Assert.Equal(HttpStatusCode.NotFound, stored.Status);
    }

    [Fact]
    public async Task New_checkouts_with_guest_tokens_past_the_addresss_allowance_are_429_and_store_nothing()
    {
        // A wallet's token costs nothing to get, and each wallet has an account of its own: its new checkouts (each a stored
        // payment and a session asked of Stripe) are bounded per client address, not only per account.
        var account = await card.Api.CreateAccountAsync();
        var token = (await card.Api.PostAsync($"/v1/accounts/{account}/tokens", new { scopes = new[] { "charge" } })).Json.GetProperty("token").GetString()!;
        ApiResponse? refused = null;
        var started = 0;
        for (var i = 0; i < 60 && refused is null; i++) // a burst of 30, refilling at 10 a minute
        {
            var answer = await card.Api.PostJsonAsync(
                $"/v1/accounts/{account}/topups/checkout", $$"""{"operationId":"u:allowance-{{i}}","packageId":"credits-500"}""", key: token);
            if (answer.Status == HttpStatusCode.TooManyRequests)
            {
                refused = answer;
            }
            else
            {
                Assert.True(answer.Status == HttpStatusCode.Created, answer.ToString());
                started++;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(("application/problem+json", "rate_limited"), (refused.MediaType, refused.Code));
        Assert.InRange(started, 30, 40);
        Assert.Equal(HttpStatusCode.NotFound, (await card.Api.GetAsync($"/v1/payments/{Grid.Contracts.Payments.PaymentIds.For(account, $"u:allowance-{started}")}")).Status);
        Assert.Equal(started, card.Stripe.CheckoutSessions.Count(s => s.ClientReferenceId is { } id
            && Enumerable.Range(0, started + 1).Any(i => id == Grid.Contracts.Payments.PaymentIds.For(account, $"u:allowance-{i}"))));

        // Asking again for one it started takes nothing; the operator's key is not held to the allowance.
        var again = await card.Api.PostJsonAsync(
            $"/v1/accounts/{account}/topups/checkout", """{"operationId":"u:allowance-0","packageId":"credits-500"}""", key: token);
        Assert.Equal(HttpStatusCode.Created, again.Status);
        await card.StartCheckoutAsync(account, $"allowance-{started}", "credits-500");
    }

    [Fact]
    public async Task Stripe_refusing_the_session_is_502_and_the_same_operation_succeeds_later()
    {
        var account = await card.Api.CreateAccountAsync();
        card.Stripe.FailEveryRequest(new Grid.Stripe.TestKit.StandIn.StandInFault.Error(400, "invalid_request_error", "No such price."));
        var refused = await card.Api.PostAsync($"/v1/accounts/{account}/topups/checkout", new { operationId = "flaky", packageId = "credits-500" });
        card.Stripe.FailEveryRequest(null);
        Assert.Equal(HttpStatusCode.BadGateway, refused.Status);
        Assert.Equal("payment_provider_error", refused.Code);

        var (paymentId, _) = await card.StartCheckoutAsync(account, "flaky", "credits-500");
        Assert.Equal("pending", await card.PaymentStatusAsync(paymentId));
    }

    [Fact]
    public async Task An_unknown_event_type_is_200_and_ignored_and_an_event_for_no_payment_is_kept_for_review()
    {
        var ping = StripeEvents.Event(StripeTestIds.Event(), "customer.created", new System.Text.Json.Nodes.JsonObject { ["id"] = "cus_x", ["object"] = "customer" });
        Assert.Equal("ignored", CardSiloFixture.Outcome(await card.DeliverAsync(ping)));

        var stranger = new TestCheckoutSession
        {
            Id = StripeTestIds.CheckoutSession(), AmountTotal = 500, Currency = "usd", ClientReferenceId = "pay_zzzzzzzzzzzzzzzzzzzzzzzzzz",
            PaymentIntentId = StripeTestIds.PaymentIntent(), Status = "complete", PaymentStatus = "paid",
        };
        var eventId = StripeTestIds.Event();
        Assert.Equal("unmatched", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(eventId, stranger))));
        var row = Assert.Single(await card.ProcessedEventsAsync(), e => e.EventId == eventId);
        Assert.Null(row.PaymentId);
        Assert.Equal("unmatched", row.Outcome);
        Assert.Equal(HttpStatusCode.NotFound, (await card.Api.GetAsync("/v1/payments/pay_zzzzzzzzzzzzzzzzzzzzzzzzzz", key: null)).Status);
    }

    [Fact]
    public async Task A_paid_event_for_another_amount_credits_nothing_and_is_kept_for_review()
    {
        var account = await card.Api.CreateAccountAsync();
        var (paymentId, session) = await card.StartCheckoutAsync(account, "tampered-amount");
        var paid = card.Stripe.CompleteCheckoutSession(session.Id) with { AmountTotal = 1 };
        Assert.Equal("review", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid))));
        Assert.Equal(0, CardSiloFixture.Available(await AccountAsync(account)));
        Assert.Equal("pending", await card.PaymentStatusAsync(paymentId));
    }

    [Fact]
    public async Task A_session_another_product_sold_that_names_a_top_up_as_its_client_reference_credits_nothing()
    {
        // A Payment Link, Buy Button or Pricing Table of the same Stripe account takes client_reference_id from its URL: a
        // buyer of another product at the top-up's price could name any top-up there and have its credits for nothing.
        var account = await card.Api.CreateAccountAsync();
        var (paymentId, session) = await card.StartCheckoutAsync(account, "foreign-session", "credits-500");
        var foreign = new TestCheckoutSession
        {
            Id = StripeTestIds.CheckoutSession(), AmountTotal = session.AmountTotal, Currency = session.Currency, ClientReferenceId = paymentId,
            PaymentIntentId = StripeTestIds.PaymentIntent(), Status = "complete", PaymentStatus = "paid",
        };
        Assert.Equal("unmatched", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), foreign))));
        // Its lapse neither: the top-up's own session stays payable.
        Assert.Equal("unmatched", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionExpired(StripeTestIds.Event(), foreign))));
        // A session carrying the payment's metadata that is not the one Stripe made for it moves nothing and goes to a person.
        var copied = foreign with { Id = StripeTestIds.CheckoutSession(), Metadata = session.Metadata };
        Assert.Equal("review", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), copied))));
        Assert.Equal(0, CardSiloFixture.Available(await AccountAsync(account)));
        Assert.Equal("pending", await card.PaymentStatusAsync(paymentId));

        var paid = card.Stripe.CompleteCheckoutSession(session.Id);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid))));
        Assert.Equal(500, CardSiloFixture.Available(await AccountAsync(account)));
        var journal = await card.Api.JournalAsync(account);
        Assert.Equal([("deposit", paymentId)], journal.Where(e => e.GetProperty("kind").GetString() == "deposit")
            .Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("reference").GetString())));
    }

    [Fact]
    public async Task A_session_paid_in_the_payer_s_own_currency_is_judged_by_the_amount_it_was_created_with()
    {
        // Adaptive Pricing with webhooks on an API version before 2025-03-31: the session shows what the payer paid in their
        // currency, and what the grid asked for moves to currency_conversion.
        var account = await card.Api.CreateAccountAsync();
        var (paymentId, session) = await card.StartCheckoutAsync(account, "paid-in-euros", "credits-2000");
        var paid = card.Stripe.CompleteCheckoutSession(session.Id);
        string Converted(long sourceTotal)
        {
            var json = StripeObjectJson.CheckoutSession(paid with { Status = "complete", PaymentStatus = "paid", Url = null, Currency = "eur", AmountTotal = 184 }, DateTimeOffset.UtcNow);
            json["currency_conversion"] = new JsonObject
            {
                ["amount_subtotal"] = sourceTotal, ["amount_total"] = sourceTotal, ["fx_rate"] = "0.92", ["source_currency"] = "usd",
            };
            return StripeEvents.Event(StripeTestIds.Event(), StripeEventTypes.CheckoutSessionCompleted, json);
        }

        Assert.Equal("review", CardSiloFixture.Outcome(await card.DeliverAsync(Converted(199)))); // not what was asked for
        Assert.Equal(0, CardSiloFixture.Available(await AccountAsync(account)));
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(Converted(200))));
        Assert.Equal(2_000, CardSiloFixture.Available(await AccountAsync(account)));
        Assert.Equal("credited", await card.PaymentStatusAsync(paymentId));
    }

    [Theory]
    [InlineData("1.0", null, null)] // HTTP/1.0 needs no Host
    [InlineData("1.1", 5_001, null)] // a return URL past Stripe's 5,000 characters
    [InlineData("1.1", null, "evil.example")] // a stranger's site: Stripe would send the payer there
    [InlineData("1.1", null, "evil.example:{port}")] // the same, on the gateway's port
    public async Task A_host_no_return_url_can_be_made_from_is_a_400_naming_it_and_nothing_is_started(string version, int? hostLength, string? foreignHost)
    {
        var account = await card.Api.CreateAccountAsync();
        var host = hostLength is { } length ? new string('a', length) : foreignHost?.Replace("{port}", GatewayPort, StringComparison.Ordinal);

        var response = await PostCheckoutRawAsync(account, "no-host", version, host);

        Assert.Matches(@"^HTTP/1\.1 400 ", response);
        Assert.Contains("\"code\":\"validation_failed\"", response, StringComparison.Ordinal);
        Assert.Contains("\"Host\"", response, StringComparison.Ordinal);
        Assert.DoesNotContain(card.Stripe.CheckoutSessions, s => s.Metadata.GetValueOrDefault("account_id") == account);
        Assert.Equal("not_found", (await card.Api.GetAsync($"/v1/payments/{Grid.Contracts.Payments.PaymentIds.For(account, "no-host")}")).Code);
    }

    [Fact]
    public async Task A_gateway_on_a_loopback_address_makes_its_return_url_for_any_loopback_name()
    {
        var account = await card.Api.CreateAccountAsync();

        var response = await PostCheckoutRawAsync(account, "by-localhost", "1.1", $"localhost:{GatewayPort}");

        Assert.Matches(@"^HTTP/1\.1 201 ", response);
        var paymentId = Grid.Contracts.Payments.PaymentIds.For(account, "by-localhost");
        Assert.Equal($"http://localhost:{GatewayPort}/v1/payments/{paymentId}", card.Stripe.CheckoutSessions.Single(s => s.ClientReferenceId == paymentId).SuccessUrl);
    }

    private string GatewayPort => card.Silo.Http.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A checkout request written by hand, so its Host header (or its absence) is exactly what the test says.</summary>
    private async Task<string> PostCheckoutRawAsync(string account, string operationId, string version, string? host)
    {
        var body = JsonSerializer.Serialize(new { operationId, packageId = "credits-500" });
        var hostLine = host is null ? "" : $"Host: {host}\r\n";
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(card.Silo.Http.BaseAddress!.Host, card.Silo.Http.BaseAddress.Port);
        var stream = tcp.GetStream();
        var request = $"POST /v1/accounts/{account}/topups/checkout HTTP/{version}\r\n{hostLine}Content-Type: application/json\r\n"
            + $"Authorization: Bearer {CardSiloFixture.AdminKey}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        return await new StreamReader(stream, System.Text.Encoding.UTF8).ReadToEndAsync();
    }

    [Fact]
    public async Task A_checkout_asked_again_after_its_account_closed_is_refused_and_its_url_not_handed_out()
    {
        var account = await card.Api.CreateAccountAsync();
        await card.StartCheckoutAsync(account, "before-close");
        (await card.Api.PostAsync($"/v1/accounts/{account}/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);

        // The same start repeated (a lost answer retried), and a new one: neither hands out a URL the payer could pay.
        foreach (var operationId in new[] { "before-close", "after-close" })
        {
            var refused = await card.Api.PostAsync($"/v1/accounts/{account}/topups/checkout", new { operationId, packageId = "credits-2000" });
            Assert.Equal((HttpStatusCode.Conflict, "account_closed"), (refused.Status, refused.Code));
            Assert.False(refused.Json.TryGetProperty("checkoutUrl", out _));
        }

        Assert.Single(card.Stripe.CheckoutSessions, s => s.Metadata.GetValueOrDefault("account_id") == account);
    }

    [Fact]
    public async Task Closing_an_account_expires_its_open_checkout_sessions_so_no_card_is_charged_for_it()
    {
        var account = await card.Api.CreateAccountAsync();
        var (paymentId, session) = await card.StartCheckoutAsync(account, "open-at-close");
        var (_, other) = await card.StartCheckoutAsync(account, "also-open");
        (await card.Api.PostAsync($"/v1/accounts/{account}/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);

        // Expired at Stripe before the close: the payer's page can no longer take the card.
        Assert.Equal("expired", card.Stripe.CheckoutSession(session.Id)!.Status);
        Assert.Equal("expired", card.Stripe.CheckoutSession(other.Id)!.Status);
        Assert.Throws<InvalidOperationException>(() => card.Stripe.CompleteCheckoutSession(session.Id));

        // Stripe's own notice of the expiry ends the payment, as any expiry does.
        var expired = StripeEvents.CheckoutSessionExpired(StripeTestIds.Event(), card.Stripe.CheckoutSession(session.Id)!);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(expired)));
        Assert.Equal("expired", await card.PaymentStatusAsync(paymentId));
    }

    [Fact]
    public async Task A_session_paid_whose_credit_has_not_arrived_refuses_the_close_until_it_has()
    {
        var account = await card.Api.CreateAccountAsync();
        var (paymentId, session) = await card.StartCheckoutAsync(account, "paid-at-close");
        var paid = card.Stripe.CompleteCheckoutSession(session.Id); // its webhook not yet delivered

        var refused = await card.Api.PostAsync($"/v1/accounts/{account}/close", new { operationId = "close" });
        Assert.Equal((HttpStatusCode.Conflict, "invalid_state"), (refused.Status, refused.Code));
        Assert.Contains(paymentId, refused.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("complete", card.Stripe.CheckoutSession(session.Id)!.Status);
        Assert.DoesNotContain(await card.Api.JournalAsync(account), e => e.GetProperty("kind").GetString() == "close");

        // The close refused is over: the account takes top-ups again.
        var (_, after) = await card.StartCheckoutAsync(account, "after-refused-close");
        Assert.Equal("open", card.Stripe.CheckoutSession(after.Id)!.Status);

        // The credit arrives: the account holds it, and a close is refused as not empty, its open session left payable.
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid))));
        Assert.Equal(2_000, await card.AvailableAsync(account));
        Assert.Equal("account_not_empty", (await card.Api.PostAsync($"/v1/accounts/{account}/close", new { operationId = "close" })).Code);
        Assert.Equal("open", card.Stripe.CheckoutSession(after.Id)!.Status);
    }

    [Fact]
    public async Task A_close_while_stripe_is_out_of_reach_is_502_and_leaves_the_account_open_and_taking_top_ups()
    {
        var account = await card.Api.CreateAccountAsync();
        var (_, session) = await card.StartCheckoutAsync(account, "open-while-stripe-down");
        card.Stripe.FailEveryRequest(new Grid.Stripe.TestKit.StandIn.StandInFault.ServerError(503));
        var refused = await card.Api.PostAsync($"/v1/accounts/{account}/close", new { operationId = "close" });
        card.Stripe.FailEveryRequest(null);

        Assert.Equal((HttpStatusCode.BadGateway, "payment_provider_error"), (refused.Status, refused.Code));
        Assert.Equal("open", card.Stripe.CheckoutSession(session.Id)!.Status);
        Assert.DoesNotContain(await card.Api.JournalAsync(account), e => e.GetProperty("kind").GetString() == "close");
        await card.StartCheckoutAsync(account, "after-stripe-came-back"); // the close that failed holds nothing back

        (await card.Api.PostAsync($"/v1/accounts/{account}/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);
        Assert.Equal("expired", card.Stripe.CheckoutSession(session.Id)!.Status);
        Assert.All(card.Stripe.CheckoutSessions.Where(s => s.Metadata.GetValueOrDefault("account_id") == account), s => Assert.Equal("expired", s.Status));
    }

    [Fact]
    public async Task A_session_stripe_never_answered_for_does_not_hold_the_close_and_is_never_handed_out_after_it()
    {
        var account = await card.Api.CreateAccountAsync();
        // Stripe makes the session, and every answer is lost on the way back.
        card.Stripe.FailEveryRequest(new Grid.Stripe.TestKit.StandIn.StandInFault.DropAfterProcessing());
        var silent = await card.Api.PostAsync($"/v1/accounts/{account}/topups/checkout", new { operationId = "silent", packageId = "credits-500" });
        card.Stripe.FailEveryRequest(null);
        Assert.Equal("payment_provider_error", silent.Code);
        var made = Assert.Single(card.Stripe.CheckoutSessions, s => s.Metadata.GetValueOrDefault("account_id") == account);

        // Nobody was handed its URL, so nothing holds the close; and the start repeated after the close hands out none.
        (await card.Api.PostAsync($"/v1/accounts/{account}/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);
        var repeated = await card.Api.PostAsync($"/v1/accounts/{account}/topups/checkout", new { operationId = "silent", packageId = "credits-500" });
        Assert.Equal((HttpStatusCode.Conflict, "account_closed"), (repeated.Status, repeated.Code));
        Assert.False(repeated.Json.TryGetProperty("checkoutUrl", out _));
        Assert.Equal("open", card.Stripe.CheckoutSession(made.Id)!.Status);
    }

    [Fact]
    public async Task Expired_and_failed_sessions_credit_nothing()
    {
        var account = await card.Api.CreateAccountAsync();
        var (expiredId, expiring) = await card.StartCheckoutAsync(account, "expires");
        var expired = card.Stripe.ExpireCheckoutSession(expiring.Id);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionExpired(StripeTestIds.Event(), expired))));
        Assert.Equal("expired", await card.PaymentStatusAsync(expiredId));

        var (failedId, failing) = await card.StartCheckoutAsync(account, "fails");
        var unpaid = failing with { Status = "complete", PaymentStatus = "unpaid", PaymentIntentId = StripeTestIds.PaymentIntent() };
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), unpaid, paid: false))));
        Assert.Equal("pending", await card.PaymentStatusAsync(failedId));
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionAsyncPaymentFailed(StripeTestIds.Event(), unpaid))));
        Assert.Equal("failed", await card.PaymentStatusAsync(failedId));
        Assert.Equal(0, CardSiloFixture.Available(await AccountAsync(account)));
    }

    [Fact]
    public async Task A_delayed_payment_credits_on_async_success()
    {
        var account = await card.Api.CreateAccountAsync();
        var (paymentId, session) = await card.StartCheckoutAsync(account, "delayed", "credits-500");
        var unpaid = session with { Status = "complete", PaymentStatus = "unpaid", PaymentIntentId = StripeTestIds.PaymentIntent() };
        await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), unpaid, paid: false));
        Assert.Equal(0, CardSiloFixture.Available(await AccountAsync(account)));
        var succeeded = unpaid with { PaymentStatus = "paid" };
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionAsyncPaymentSucceeded(StripeTestIds.Event(), succeeded))));
        Assert.Equal(500, CardSiloFixture.Available(await AccountAsync(account)));
        Assert.Equal("credited", await card.PaymentStatusAsync(paymentId));
    }

    private async Task<JsonElement> AccountAsync(string id) => (await card.Api.GetAsync($"/v1/accounts/{id}")).Json;

}
