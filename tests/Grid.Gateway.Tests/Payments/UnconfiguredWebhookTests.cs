using System.Net;
using System.Text;
using Grid.Gateway.Tests.Support;
using Grid.Stripe.TestKit;
using Grid.Stripe.TestKit.Events;
using Grid.Stripe.TestKit.Objects;
using Grid.Stripe.TestKit.Webhooks;

namespace Grid.Gateway.Tests.Payments;

/// <summary>A silo whose webhook secret is configured empty verifies nothing and accepts nothing: 400, never a pass.</summary>
public sealed class UnconfiguredWebhookTests() : OwnSiloTests("unconfigured-webhook-admin-key-0123", new Dictionary<string, string>
{
    ["Grid__Stripe__WebhookSecrets__0"] = "",
})
{
    [Fact]
    public async Task An_empty_secret_refuses_every_delivery()
    {
        var session = new TestCheckoutSession
        {
            Id = StripeTestIds.CheckoutSession(), AmountTotal = 200, Currency = "usd", ClientReferenceId = "pay_aaaaaaaaaaaaaaaaaaaaaaaaaa",
            Status = "complete", PaymentStatus = "paid",
        };
        var body = StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), session);
        foreach (var secret in new[] { "", "whsec_" })
        {
            var header = await StripeNode.SignAsync(body, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), secret);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/stripe") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", header);
            using var response = await Silo.Http.SendAsync(request);
            var answer = await ApiResponse.ReadAsync(response);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal("invalid_signature", answer.Code);
            Assert.Equal("NoSecretConfigured", answer.Json.GetProperty("reason").GetString());
        }

    }

    [Fact]
    public async Task Without_a_stripe_key_top_ups_and_auto_reload_are_503_payments_not_configured()
    {
        var account = await Operator.CreateAccountAsync();
        var checkout = await Operator.PostAsync($"/v1/accounts/{account}/topups/checkout", new { operationId = "x", packageId = "credits-500" });
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "payments_not_configured"), (checkout.Status, checkout.Code));
        var stored = await Operator.GetAsync($"/v1/payments/{Grid.Contracts.Payments.PaymentIds.For(account, "x")}");
        Assert.Equal(HttpStatusCode.NotFound, stored.Status); // an error answer stores nothing

        var reload = new { customerId = "cus_x", paymentMethodId = "pm_x", thresholdCredits = 100, amountCents = 500 };
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/v1/accounts/{account}/auto-reload")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(reload), Encoding.UTF8, "application/json"),
        };
        put.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await Silo.Http.SendAsync(put);
        var answer = await ApiResponse.ReadAsync(response);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "payments_not_configured"), (answer.Status, answer.Code));
        var view = (await Operator.GetAsync($"/v1/accounts/{account}/auto-reload")).Json;
        Assert.False(view.GetProperty("enabled").GetBoolean());
    }
}
