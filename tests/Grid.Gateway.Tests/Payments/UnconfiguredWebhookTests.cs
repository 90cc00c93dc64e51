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

        var checkout = await Operator.PostAsync("/v1/accounts/a/topups/checkout", new { operationId = "x", packageId = "credits-500" });
        Assert.NotEqual(HttpStatusCode.Created, checkout.Status);
    }
}
