using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Payments;

/// <summary>
/// An account's checkout ids are one space shared by its server and its players: a guest or wallet token keeps to the
/// end users' <c>u:</c> namespace, and no other caller may use it. A silo of its own: the player's checkout here would
/// count against the address allowance another test measures.
/// </summary>
public sealed class CheckoutIdNamespaceTests(CardSiloFixture card) : IClassFixture<CardSiloFixture>
{
    [Fact]
    public async Task A_guest_token_s_checkout_ids_are_its_own_namespace_so_a_player_cannot_take_its_server_s_top_up()
    {
        var account = await card.Api.CreateAccountAsync();
        var token = (await card.Api.PostAsync($"/v1/accounts/{account}/tokens", new { scopes = new[] { "charge" } })).Json.GetProperty("token").GetString()!;
        var sessions = card.Stripe.CheckoutSessionsCreated;

        // The player takes the id of its server's next top-up, for another package: the server's would be a conflict.
        var taken = await card.Api.PostJsonAsync(
            $"/v1/accounts/{account}/topups/checkout", """{"operationId":"topup-7","packageId":"credits-500"}""", key: token);
        // The operator's key may not use the end users' namespace either.
        var intoTheirs = await card.Api.PostAsync($"/v1/accounts/{account}/topups/checkout", new { operationId = "u:topup-7", packageId = "credits-500" });
        Assert.All(new[] { taken, intoTheirs }, r => Assert.True(
            r.Status == HttpStatusCode.BadRequest && r.Code == "validation_failed" && r.Text.Contains("\"operationId\"", StringComparison.Ordinal), r.ToString()));
        Assert.Equal(sessions, card.Stripe.CheckoutSessionsCreated);
        foreach (var operationId in new[] { "topup-7", "u:topup-7" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await card.Api.GetAsync($"/v1/payments/{Grid.Contracts.Payments.PaymentIds.For(account, operationId)}")).Status);
        }

        var (serverPayment, _) = await card.StartCheckoutAsync(account, "topup-7", "credits-2000");
        var own = await card.Api.PostJsonAsync(
            $"/v1/accounts/{account}/topups/checkout", """{"operationId":"u:topup-7","packageId":"credits-500"}""", key: token);
        Assert.True(own.Status == HttpStatusCode.Created, own.ToString());
        Assert.NotEqual(serverPayment, own.Json.GetProperty("paymentId").GetString());
        Assert.Equal(sessions + 2, card.Stripe.CheckoutSessionsCreated);
    }
}
