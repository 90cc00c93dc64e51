using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grid.Gateway.Tests.Sessions;
using Grid.Gateway.Tests.Support;
using Grid.Stripe.Events;
using Grid.Stripe.TestKit;
using Grid.Stripe.TestKit.Events;
using Grid.Stripe.TestKit.Objects;
using Grid.Stripe.TestKit.StandIn;

namespace Grid.Gateway.Tests.Payments;

/// <summary>
/// Auto-reload end to end: settings over HTTP, debits that take the account below its threshold, the off-session
/// PaymentIntents the stand-in records, Stripe's signed webhooks, and the balance and journal that result.
/// </summary>
public sealed class AutoReloadTests(CardSiloFixture card) : IClassFixture<CardSiloFixture>
{
    private const long Threshold = 1_000;

    /// <summary>Long enough for a trigger or a reminder tick (1 s) that should not charge to have charged.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1.5);

    private readonly Dictionary<string, string> _customers = new(StringComparer.Ordinal);

    [Fact]
    public async Task Crossing_the_threshold_charges_the_saved_card_once_and_only_the_webhook_credits()
    {
        var account = await FundedAccountAsync("reload-fixed");
        var configured = await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500));
        Assert.True(configured.Status == HttpStatusCode.OK, configured.ToString());
        Assert.True(configured.Json.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, configured.Json.GetProperty("inFlightPaymentId").ValueKind); // 2,000 is not below 1,000
        Assert.Empty(IntentsOf(account));

        await DebitAsync(account, "spend-1", 1_500);
        var intent = await SingleIntentAsync(account);
        var paymentId = intent.Metadata["payment_id"];
        var created = card.Stripe.Requests.Single(r => r.Path == "/v1/payment_intents" && r.Field("metadata[payment_id]") == paymentId);
        Assert.Equal("POST", created.Method);
        Assert.Equal($"grid:{paymentId}:payment_intent", created.IdempotencyKey);
        Assert.Equal("500", created.Field("amount"));
        Assert.Equal("usd", created.Field("currency"));
        Assert.Equal(_customers[account], created.Field("customer"));
        Assert.Equal(StripeStandIn.CardSucceeds, created.Field("payment_method"));
        Assert.Equal("true", created.Field("off_session"));
        Assert.Equal("true", created.Field("confirm"));
        Assert.Equal(account, created.Field("metadata[account_id]"));

        var inFlight = await GetAsync(account);
        Assert.Equal(paymentId, inFlight.GetProperty("inFlightPaymentId").GetString());
        Assert.Equal(0, inFlight.GetProperty("failures").GetInt32());
        // Stripe said "succeeded" in its answer, but the answer is no proof: nothing is credited before the webhook.
        Assert.Equal("succeeded", intent.Status);
        Assert.Equal(500, await card.AvailableAsync(account));
        Assert.Equal("pending", await card.PaymentStatusAsync(paymentId));

        // Back above the threshold by hand and below it again while the charge is under way: no second charge.
        await card.Api.DepositAsync(account, "by-hand", 1_000);
        await DebitAsync(account, "spend-2", 1_000);
        await Task.Delay(Settle);
        Assert.Single(IntentsOf(account));
        Assert.Equal(paymentId, (await GetAsync(account)).GetProperty("inFlightPaymentId").GetString());
        Assert.Equal(500, await card.AvailableAsync(account));

        var succeeded = StripeEvents.PaymentIntentSucceeded(
            StripeTestIds.Event(), card.Stripe.PaymentIntent(intent.Id)!, request: new StripeEventRequest(created.RequestId, created.IdempotencyKey));
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(succeeded)));
        Assert.Equal("duplicate", CardSiloFixture.Outcome(await card.DeliverAsync(succeeded)));

        Assert.Equal(5_500, await card.AvailableAsync(account));
        var deposit = Assert.Single(await card.Api.JournalAsync(account), e => e.GetProperty("reference").GetString() == paymentId);
        Assert.Equal("deposit", deposit.GetProperty("kind").GetString());
        Assert.Equal(5_000, deposit.GetProperty("amount").GetInt64());
        Assert.Equal("credited", await card.PaymentStatusAsync(paymentId));

        var done = await EventuallyGetAsync(account, s => s.GetProperty("inFlightPaymentId").ValueKind == JsonValueKind.Null, "the charge to end");
        Assert.Equal(paymentId, done.GetProperty("lastPaymentId").GetString());
        Assert.Equal(0, done.GetProperty("failures").GetInt32());
        Assert.True(done.GetProperty("enabled").GetBoolean());
        Assert.Single(IntentsOf(account));
    }

    [Theory]
    [InlineData("refund")]
    [InlineData("dispute")]
    public async Task Credits_taken_back_by_a_refund_or_dispute_turn_auto_reload_off_first_so_the_card_is_not_charged_again(string takeBack)
    {
        var account = await FundedAccountAsync($"reload-{takeBack}");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500))).Status);
        await DebitAsync(account, "spend", 1_500);
        var intent = await SingleIntentAsync(account);
        var paymentId = intent.Metadata["payment_id"];
        var succeeded = StripeEvents.PaymentIntentSucceeded(StripeTestIds.Event(), card.Stripe.PaymentIntent(intent.Id)!);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(succeeded)));
        Assert.Equal(5_500, await card.AvailableAsync(account));
        await EventuallyGetAsync(account, s => s.GetProperty("inFlightPaymentId").ValueKind == JsonValueKind.Null, "the charge to end");

        // The whole charge taken back: 500 left, below the threshold, by the rail's doing and not the account's spending.
        var charge = card.Stripe.Charge(card.Stripe.PaymentIntent(intent.Id)!.LatestChargeId!)!;
        var taken = takeBack == "refund"
            ? StripeEvents.ChargeRefunded(StripeTestIds.Event(), charge with { AmountRefunded = charge.Amount })
            : StripeEvents.ChargeDisputeCreated(StripeTestIds.Event(), new TestDispute
            {
                Id = StripeTestIds.Dispute(), Amount = charge.Amount, Currency = charge.Currency, ChargeId = charge.Id, PaymentIntentId = charge.PaymentIntentId,
            });
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(taken)));
        Assert.Equal(500, await card.AvailableAsync(account));

        // The threshold was cleared before the entry: the journal shows the settings change first.
        var kinds = (await card.Api.JournalAsync(account)).Select(e => e.GetProperty("kind").GetString()).TakeLast(2);
        Assert.Equal(["settings", takeBack == "refund" ? "reversal" : "hold"], kinds);
        var off = await EventuallyGetAsync(account, s => !s.GetProperty("enabled").GetBoolean(), "auto-reload off");
        Assert.Contains(paymentId, off.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
        await Task.Delay(Settle); // a trigger, and a reminder tick, had they been going to charge
        Assert.Single(IntentsOf(account));

        // Saved again by the account's owner: on, and the balance below the threshold is charged at once.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500))).Status);
        await Eventually.TrueAsync(() => IntentsOf(account).Count == 2, "a charge once auto-reload is back on");
    }

    [Fact]
    public async Task An_account_a_refund_took_below_zero_cannot_turn_auto_reload_on_until_it_is_back_at_zero()
    {
        var account = await FundedAccountAsync("reload-debt");
        var (_, session) = await card.StartCheckoutAsync(account, "topup", "credits-2000");
        var paid = card.Stripe.CompleteCheckoutSession(session.Id);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid))));
        await DebitAsync(account, "spend-all", 4_000);
        var charge = card.Stripe.Charge(card.Stripe.PaymentIntent(paid.PaymentIntentId!)!.LatestChargeId!)!;
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeRefunded(StripeTestIds.Event(), charge with { AmountRefunded = charge.Amount }))));
        Assert.Equal(-2_000, await card.AvailableAsync(account));

        var checkoutIntents = IntentsOf(account).Count;
        var refused = await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500));
        Assert.Equal((HttpStatusCode.PaymentRequired, "negative_balance"), (refused.Status, refused.Code));
        Assert.False((await GetAsync(account)).GetProperty("enabled").GetBoolean());
        await Task.Delay(Settle);
        Assert.Equal(checkoutIntents, IntentsOf(account).Count);

        await card.Api.DepositAsync(account, "pay-back", 2_000);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500))).Status);
        await Eventually.TrueAsync(() => IntentsOf(account).Count == checkoutIntents + 1, "a charge once back at zero"); // 0 is below the threshold
        Assert.Equal(500, IntentsOf(account)[^1].Amount);
    }

    [Fact]
    public async Task A_target_balance_charges_enough_to_reach_it_rounded_up_to_whole_cents_and_at_least_the_minimum()
    {
        var far = await FundedAccountAsync("reload-target");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(far, Settings(far, StripeStandIn.CardSucceeds, targetCredits: 10_000))).Status);
        await DebitAsync(far, "spend", 1_995); // 5 left: 9,995 credits missing, 999.5 cents
        var intent = await SingleIntentAsync(far);
        Assert.Equal(1_000, intent.Amount);

        var succeeded = StripeEvents.PaymentIntentSucceeded(StripeTestIds.Event(), intent);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(succeeded)));
        Assert.Equal(10_005, await card.AvailableAsync(far));

        var near = await FundedAccountAsync("reload-target-near");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(near, Settings(near, StripeStandIn.CardSucceeds, targetCredits: 1_100))).Status);
        await DebitAsync(near, "spend", 1_001); // 999 left: 101 credits missing, 11 cents, below Stripe's 50
        Assert.Equal(50, (await SingleIntentAsync(near)).Amount);
    }

    [Fact]
    public async Task A_declined_card_backs_off_tries_again_and_turns_auto_reload_off_at_the_limit()
    {
        var account = await FundedAccountAsync("reload-declined");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(account, Settings(account, StripeStandIn.CardInsufficientFunds, amountCents: 500))).Status);
        await DebitAsync(account, "spend-1", 1_500);

        var firstFailure = await EventuallyGetAsync(account, s => s.GetProperty("failures").GetInt32() == 1, "the first failure");
        var failedAt = DateTimeOffset.UtcNow;
        var first = firstFailure.GetProperty("lastPaymentId").GetString()!;
        Assert.Equal(JsonValueKind.Null, firstFailure.GetProperty("inFlightPaymentId").ValueKind);
        Assert.True(firstFailure.GetProperty("enabled").GetBoolean());
        var firstRequest = card.Stripe.Requests.Single(r => r.Path == "/v1/payment_intents" && r.Field("metadata[payment_id]") == first);
        var nextAttempt = firstFailure.GetProperty("nextAttemptAt").GetDateTimeOffset();
        Assert.InRange(nextAttempt, firstRequest.At + CardSiloFixture.AutoReloadBackoff, failedAt + CardSiloFixture.AutoReloadBackoff);
        Assert.Equal("failed", await card.PaymentStatusAsync(first));
        Assert.Equal("requires_payment_method", IntentsOf(account).Single(i => i.Metadata["payment_id"] == first).Status);

        // The reminder tries again after the backoff, as a new payment; the second decline is the limit.
        var off = await EventuallyGetAsync(account, s => !s.GetProperty("enabled").GetBoolean(), "auto-reload to turn itself off");
        Assert.Equal(2, off.GetProperty("failures").GetInt32());
        Assert.False(string.IsNullOrEmpty(off.GetProperty("disabledReason").GetString()));
        var second = off.GetProperty("lastPaymentId").GetString()!;
        Assert.NotEqual(first, second);
        Assert.Equal("failed", await card.PaymentStatusAsync(second));
        var secondRequest = card.Stripe.Requests.Single(r => r.Path == "/v1/payment_intents" && r.Field("metadata[payment_id]") == second);
        Assert.True(secondRequest.At - firstRequest.At >= CardSiloFixture.AutoReloadBackoff * 0.9, $"retried after {secondRequest.At - firstRequest.At}");
        Assert.Equal(2, IntentsOf(account).Count);

        // Off: crossing the threshold again charges nothing.
        await card.Api.DepositAsync(account, "by-hand", 1_000);
        await DebitAsync(account, "spend-2", 1_000);
        await Task.Delay(Settle);
        Assert.Equal(2, IntentsOf(account).Count);
        Assert.Equal(500, await card.AvailableAsync(account));

        // Saving the settings again (another card) turns it back on, and the balance below the threshold charges at once.
        var again = await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500));
        Assert.True(again.Status == HttpStatusCode.OK, again.ToString());
        Assert.True(again.Json.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, again.Json.GetProperty("failures").GetInt32());
        Assert.Equal(JsonValueKind.Null, again.Json.GetProperty("disabledReason").ValueKind);
        Assert.Equal(JsonValueKind.Null, again.Json.GetProperty("nextAttemptAt").ValueKind);
        var third = again.Json.GetProperty("inFlightPaymentId").GetString();
        var charged = IntentsOf(account).Single(i => i.Metadata["payment_id"] == third);
        Assert.Equal(StripeStandIn.CardSucceeds, charged.PaymentMethodId);
    }

    [Fact]
    public async Task A_payment_failed_webhook_for_the_charge_under_way_counts_a_failure_and_the_next_attempt_can_succeed()
    {
        var account = await FundedAccountAsync("reload-webhook-failed");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500))).Status);
        await DebitAsync(account, "spend", 1_500);
        var intent = await SingleIntentAsync(account);
        var first = intent.Metadata["payment_id"];
        Assert.Equal(first, (await GetAsync(account)).GetProperty("inFlightPaymentId").GetString());

        // The stand-in settles a card at once, so the later failure Stripe can report is delivered by hand.
        var failed = StripeEvents.PaymentIntentPaymentFailed(StripeTestIds.Event(), intent);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(failed)));
        Assert.Equal("failed", await card.PaymentStatusAsync(first));

        var counted = await EventuallyGetAsync(account, s => s.GetProperty("failures").GetInt32() == 1, "the failure to be counted");
        Assert.Equal(first, counted.GetProperty("lastPaymentId").GetString());
        Assert.NotEqual(JsonValueKind.Null, counted.GetProperty("nextAttemptAt").ValueKind);
        Assert.Equal(500, await card.AvailableAsync(account));

        // After the backoff the card is charged again, as another payment; its success resets the count.
        await Eventually.TrueAsync(() => IntentsOf(account).Count == 2, "a second charge after the backoff");
        var retry = IntentsOf(account)[1];
        var second = retry.Metadata["payment_id"];
        Assert.NotEqual(first, second);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.PaymentIntentSucceeded(StripeTestIds.Event(), retry))));
        Assert.Equal(5_500, await card.AvailableAsync(account));
        var recovered = await EventuallyGetAsync(account, s => s.GetProperty("lastPaymentId").GetString() == second, "the retry to end");
        Assert.Equal(0, recovered.GetProperty("failures").GetInt32());
        Assert.Equal(JsonValueKind.Null, recovered.GetProperty("nextAttemptAt").ValueKind);
    }

    [Fact]
    public async Task A_saved_card_stripe_does_not_know_counts_as_a_failure_instead_of_being_asked_for_again_and_again()
    {
        var account = await FundedAccountAsync("reload-unknown-card");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(account, Settings(account, "pm_card_nobody_saved", amountCents: 500))).Status);
        await DebitAsync(account, "spend", 1_500);

        var off = await EventuallyGetAsync(account, s => !s.GetProperty("enabled").GetBoolean(), "auto-reload to turn itself off");
        Assert.Equal(2, off.GetProperty("failures").GetInt32());
        Assert.Equal("failed", await card.PaymentStatusAsync(off.GetProperty("lastPaymentId").GetString()!));
        Assert.Empty(IntentsOf(account));
        Assert.Equal(2, card.Stripe.Requests.Count(r => r.Path == "/v1/payment_intents" && r.Field("metadata[account_id]") == account));
    }

    [Theory]
    [InlineData("""{"customerId":"cus_GridStandIn01","paymentMethodId":"pm_card_visa","thresholdCredits":1000,"amountCents":500,"targetCredits":5000}""", "amountCents")]
    [InlineData("""{"customerId":"cus_GridStandIn01","paymentMethodId":"pm_card_visa","thresholdCredits":1000}""", "amountCents")]
    [InlineData("""{"customerId":"acct_123","paymentMethodId":"pm_card_visa","thresholdCredits":1000,"amountCents":500}""", "customerId")]
    [InlineData("""{"paymentMethodId":"pm_card_visa","thresholdCredits":1000,"amountCents":500}""", "customerId")]
    [InlineData("""{"customerId":"cus_GridStandIn01","paymentMethodId":"tok_visa","thresholdCredits":1000,"amountCents":500}""", "paymentMethodId")]
    [InlineData("""{"customerId":"cus_GridStandIn01","paymentMethodId":"pm_card_visa","thresholdCredits":0,"amountCents":500}""", "thresholdCredits")]
    [InlineData("""{"customerId":"cus_GridStandIn01","paymentMethodId":"pm_card_visa","thresholdCredits":1000,"targetCredits":1000}""", "targetCredits")]
    [InlineData("""{"customerId":"cus_GridStandIn01","paymentMethodId":"pm_card_visa","thresholdCredits":1000,"targetCredits":999}""", "targetCredits")]
    [InlineData("""{"customerId":"cus_GridStandIn01","paymentMethodId":"pm_card_visa","thresholdCredits":1000,"amountCents":49}""", "amountCents")]
    [InlineData("""{"customerId":"cus_GridStandIn01","paymentMethodId":"pm_card_visa","thresholdCredits":1000,"amountCents":"500"}""", "amountCents")]
    // Ids Stripe's request would refuse (a bare prefix, other characters): refused here, before a charge is recorded.
    [InlineData("""{"customerId":"cus_","paymentMethodId":"pm_card_visa","thresholdCredits":1000,"amountCents":500}""", "customerId")]
    [InlineData("""{"customerId":"cus_Grid-StandIn","paymentMethodId":"pm_card_visa","thresholdCredits":1000,"amountCents":500}""", "customerId")]
    [InlineData("""{"customerId":"cus_GridStandIn01","paymentMethodId":"pm_","thresholdCredits":1000,"amountCents":500}""", "paymentMethodId")]
    [InlineData("""{"customerId":"cus_GridStandIn01","paymentMethodId":"pm_card visa","thresholdCredits":1000,"amountCents":500}""", "paymentMethodId")]
    public async Task Bad_settings_name_the_field_and_change_nothing(string json, string field)
    {
        var account = await card.Api.CreateAccountAsync();
        var refused = await PutAsync(account, json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("validation_failed", refused.Code);
        Assert.True(refused.Json.GetProperty("errors").TryGetProperty(field, out _), refused.ToString());

        var view = await GetAsync(account);
        Assert.False(view.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("thresholdCredits").ValueKind);
        Assert.Empty(IntentsOf(account));
    }

    [Fact]
    public async Task A_charge_Stripe_never_answered_is_not_asked_for_again_once_auto_reload_is_turned_off()
    {
        var account = await FundedAccountAsync("reload-off-unanswered");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500))).Status);
        card.Stripe.FailEveryRequest(new Grid.Stripe.TestKit.StandIn.StandInFault.ServerError(503));
        try
        {
            await DebitAsync(account, "spend", 1_500);
            var underWay = await EventuallyGetAsync(account, s => s.GetProperty("inFlightPaymentId").ValueKind == JsonValueKind.String, "a charge under way");
            var paymentId = underWay.GetProperty("inFlightPaymentId").GetString();
            Assert.Equal(HttpStatusCode.OK, (await card.Api.SendAsync(HttpMethod.Delete, $"/v1/accounts/{account}/auto-reload")).Status);
            card.Stripe.FailEveryRequest(null);

            // The check reminder (every second here) lets the unanswered charge go instead of sending it again.
            var settled = await EventuallyGetAsync(account, s => s.GetProperty("inFlightPaymentId").ValueKind == JsonValueKind.Null, "the charge let go");
            Assert.Equal(paymentId, settled.GetProperty("lastPaymentId").GetString());
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Empty(IntentsOf(account));
        }
        finally
        {
            card.Stripe.FailEveryRequest(null);
        }
    }

    [Fact]
    public async Task A_closed_account_takes_no_auto_reload_and_nothing_changes()
    {
        var account = await card.Api.CreateAccountAsync();
        (await card.Api.PostAsync($"/v1/accounts/{account}/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);

        var refused = await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("account_closed", refused.Code);
        var view = await GetAsync(account);
        Assert.False(view.GetProperty("enabled").GetBoolean());
        Assert.Empty(IntentsOf(account)); // no card charged for credits nobody can take
    }

    [Fact]
    public async Task An_account_is_closed_only_once_auto_reload_is_off_and_its_charge_has_ended()
    {
        var account = await FundedAccountAsync("reload-close");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500))).Status);
        await DebitAsync(account, "spend-all", 2_000);
        var intent = await SingleIntentAsync(account);

        // On, with a charge under way: closing now would leave Stripe's charge with no account to credit.
        var whileOn = await card.Api.PostAsync($"/v1/accounts/{account}/close", new { operationId = "close" });
        Assert.Equal((HttpStatusCode.Conflict, "invalid_state"), (whileOn.Status, whileOn.Code));
        Assert.Contains("auto-reload", whileOn.Json.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await card.Api.SendAsync(HttpMethod.Delete, $"/v1/accounts/{account}/auto-reload")).Status);
        var whileUnderWay = await card.Api.PostAsync($"/v1/accounts/{account}/close", new { operationId = "close" });
        Assert.Equal((HttpStatusCode.Conflict, "invalid_state"), (whileUnderWay.Status, whileUnderWay.Code));
        Assert.Contains(intent.Metadata["payment_id"], whileUnderWay.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("active", (await card.Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("status").GetString());

        // The charge ends (credited), the credits are refunded, and then the account closes.
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.PaymentIntentSucceeded(StripeTestIds.Event(), intent))));
        await EventuallyGetAsync(account, s => s.GetProperty("inFlightPaymentId").ValueKind == JsonValueKind.Null, "the charge to end");
        (await card.Api.PostAsync($"/v1/accounts/{account}/refunds", new { operationId = "refund-all", amount = 5_000 })).Expect(HttpStatusCode.OK);
        (await card.Api.PostAsync($"/v1/accounts/{account}/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);

        // Turning auto-reload off again on the closed account is still an answer, not a refusal of the settings change.
        var off = await card.Api.SendAsync(HttpMethod.Delete, $"/v1/accounts/{account}/auto-reload");
        Assert.True(off.Status == HttpStatusCode.OK, off.ToString());
        await Task.Delay(Settle);
        Assert.Single(IntentsOf(account));
    }

    [Fact]
    public async Task A_customer_saved_for_one_account_is_refused_for_another_until_the_first_is_closed()
    {
        var owner = await FundedAccountAsync("reload-owner");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(owner, Settings(owner, StripeStandIn.CardSucceeds, amountCents: 500))).Status);

        // Another account's admin key naming the owner's customer and card: it would have the owner's card charged for
        // its own credits. Refused naming the field; nothing set, nothing charged.
        var other = await FundedAccountAsync("reload-other");
        _customers[other] = _customers[owner];
        var refused = await PutAsync(other, Settings(other, StripeStandIn.CardSucceeds, amountCents: 500));
        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (refused.Status, refused.Code));
        Assert.True(refused.Json.GetProperty("errors").TryGetProperty("customerId", out _), refused.ToString());
        var view = await GetAsync(other);
        Assert.False(view.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("thresholdCredits").ValueKind);
        await DebitAsync(other, "spend", 1_500);
        await Task.Delay(Settle);
        Assert.Empty(IntentsOf(other));

        // The owner turns auto-reload off, empties and closes its account: the customer may move on.
        Assert.Equal(HttpStatusCode.OK, (await card.Api.SendAsync(HttpMethod.Delete, $"/v1/accounts/{owner}/auto-reload")).Status);
        (await card.Api.PostAsync($"/v1/accounts/{owner}/refunds", new { operationId = "refund-all", amount = 2_000 })).Expect(HttpStatusCode.OK);
        (await card.Api.PostAsync($"/v1/accounts/{owner}/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);
        var moved = await PutAsync(other, Settings(other, StripeStandIn.CardSucceeds, amountCents: 500));
        Assert.True(moved.Status == HttpStatusCode.OK, moved.ToString());
        var intent = await SingleIntentAsync(other); // 500 available is below the threshold
        Assert.Equal(_customers[owner], intent.CustomerId);
    }

    [Fact]
    public async Task A_charge_whose_webhook_never_comes_is_let_go_after_max_pending_and_auto_reload_turns_off()
    {
        var account = await FundedAccountAsync("reload-lost-webhook");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500))).Status);
        await DebitAsync(account, "spend", 1_500);
        var intent = await SingleIntentAsync(account);
        var paymentId = intent.Metadata["payment_id"];

        // No webhook: without a bound, auto-reload would wait on this charge for ever and never charge again.
        var off = await EventuallyGetAsync(
            account, s => s.GetProperty("inFlightPaymentId").ValueKind == JsonValueKind.Null, "the pending charge let go", CardSiloFixture.AutoReloadMaxPending + Eventually.DefaultPatience);
        Assert.False(off.GetProperty("enabled").GetBoolean());
        Assert.Contains(paymentId, off.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(paymentId, off.GetProperty("lastPaymentId").GetString());

        // Should the webhook come after all, the money still arrives; saving the settings turns auto-reload back on.
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.PaymentIntentSucceeded(StripeTestIds.Event(), intent))));
        Assert.Equal(5_500, await card.AvailableAsync(account));
        var again = await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500));
        Assert.True(again.Json.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, again.Json.GetProperty("disabledReason").ValueKind);
    }

    [Fact]
    public async Task Settings_need_an_existing_account_and_an_admin_key_and_delete_turns_auto_reload_off()
    {
        var unknown = await PutAsync("reload-nobody", Settings("reload-nobody", StripeStandIn.CardSucceeds, amountCents: 500));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("not_found", unknown.Code);

        var account = await FundedAccountAsync("reload-auth");
        var anonymous = await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500), key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);

        var issued = await card.Api.PostAsync("/v1/keys", new { accountId = account, scopes = new[] { "read" }, name = "reader" });
        Assert.True(issued.Status == HttpStatusCode.Created, issued.ToString());
        var reader = issued.Json.GetProperty("key").GetString()!;
        var forbidden = await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500), key: reader);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Equal("forbidden", forbidden.Code);
        Assert.Equal(HttpStatusCode.Forbidden, (await card.Api.SendAsync(HttpMethod.Delete, $"/v1/accounts/{account}/auto-reload", key: reader)).Status);
        var read = await card.Api.GetAsync($"/v1/accounts/{account}/auto-reload", key: reader);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.False(read.Json.GetProperty("enabled").GetBoolean());

        // The account's own admin key may not save a customer for it (whoever names one first has its cards pay): refused,
        // and nothing saved. Once the operator saved it, that key may change the settings.
        var ownAdmin = await card.Api.PostAsync("/v1/keys", new { accountId = account, scopes = new[] { "admin" }, name = "own-admin" });
        Assert.True(ownAdmin.Status == HttpStatusCode.Created, ownAdmin.ToString());
        var ownKey = ownAdmin.Json.GetProperty("key").GetString()!;
        var claimed = await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500), key: ownKey);
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (claimed.Status, claimed.Code));
        Assert.False((await card.Api.GetAsync($"/v1/accounts/{account}/auto-reload")).Json.GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 500))).Status);
        var changed = await PutAsync(account, Settings(account, StripeStandIn.CardSucceeds, amountCents: 700), key: ownKey);
        Assert.True(changed.Status == HttpStatusCode.OK, changed.ToString());
        Assert.Equal(700, changed.Json.GetProperty("amountCents").GetInt64());
        var deleted = await card.Api.SendAsync(HttpMethod.Delete, $"/v1/accounts/{account}/auto-reload");
        Assert.True(deleted.Status == HttpStatusCode.OK, deleted.ToString());
        Assert.False(deleted.Json.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, deleted.Json.GetProperty("disabledReason").ValueKind);

        await DebitAsync(account, "spend", 1_500);
        await Task.Delay(Settle);
        Assert.Empty(IntentsOf(account));
    }

    /// <summary>The settings of <paramref name="account"/>, with its own Stripe customer: a customer is saved for one account only.</summary>
    private string Settings(string account, string paymentMethodId, long? amountCents = null, long? targetCredits = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["customerId"] = _customers.GetValueOrDefault(account, StripeStandIn.CustomerId),
            ["paymentMethodId"] = paymentMethodId,
            ["thresholdCredits"] = Threshold,
            ["amountCents"] = amountCents,
            ["targetCredits"] = targetCredits,
        });

    private async Task<string> FundedAccountAsync(string prefix)
    {
        var account = await card.Api.CreateAccountAsync($"{prefix}-{Guid.NewGuid():N}"[..40]);
        _customers[account] = card.Stripe.AddCustomer();
        await card.Api.DepositAsync(account, "fund", 2_000);
        return account;
    }

    private async Task DebitAsync(string account, string operationId, long amount)
    {
        var debited = await card.Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId, amount });
        Assert.True(debited.Status == HttpStatusCode.OK, debited.ToString());
    }

    private IReadOnlyList<TestPaymentIntent> IntentsOf(string account) =>
        card.Stripe.PaymentIntents.Where(i => i.Metadata.GetValueOrDefault("account_id") == account).ToList();

    private async Task<TestPaymentIntent> SingleIntentAsync(string account)
    {
        await Eventually.TrueAsync(() => IntentsOf(account).Count > 0, $"a PaymentIntent for {account}");
        return Assert.Single(IntentsOf(account));
    }

    private async Task<ApiResponse> PutAsync(string account, string json, string? key = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/accounts/{account}/auto-reload")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        var token = key == string.Empty ? CardSiloFixture.AdminKey : key;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await card.Silo.Http.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    private async Task<JsonElement> GetAsync(string account)
    {
        var response = await card.Api.GetAsync($"/v1/accounts/{account}/auto-reload");
        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        return response.Json;
    }

    private async Task<JsonElement> EventuallyGetAsync(string account, Func<JsonElement, bool> condition, string what, TimeSpan? within = null)
    {
        JsonElement last = default;
        await Eventually.TrueAsync(async () => condition(last = await GetAsync(account)), what, within);
        return last;
    }

}
