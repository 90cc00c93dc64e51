using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Grid.Bench.Gateway;
using Grid.Stripe.TestKit;
using Grid.Stripe.TestKit.Events;
using Grid.Stripe.TestKit.StandIn;

namespace Grid.Bench.Webhooks;

/// <summary>
/// The setup, not measured: an account per payment, its checkout started through the gateway (which creates the
/// payment and its Checkout Session at the Stripe stand-in), the session paid at the stand-in, and the
/// <c>checkout.session.completed</c> body Stripe would then send.
/// </summary>
public static class WebhookPayments
{
    public const string AccountPrefix = "wh-";

    /// <summary>The packages the silo sells in the benchmark (as the shipped appsettings.json), one after another.</summary>
    public static readonly IReadOnlyList<(string Id, long Credits, long PriceCents)> Packages =
    [
        ("credits-500", 500, 50),
        ("credits-2000", 2_000, 200),
        ("credits-5000", 5_000, 500),
        ("credits-10000", 10_000, 1_000),
    ];

    /// <summary>The silo's settings for card payments: the stand-in as Stripe, the packages, the webhook secret.</summary>
    public static Dictionary<string, string?> Settings(StripeStandIn stripe, string webhookSecret)
    {
        ArgumentNullException.ThrowIfNull(stripe);
        var settings = new Dictionary<string, string?>
        {
            ["Grid:Stripe:SecretKey"] = StripeStandIn.SecretKey,
            ["Grid:Stripe:ApiBase"] = stripe.BaseAddress.ToString(),
            ["Grid:Stripe:WebhookSecrets:0"] = webhookSecret,
            // Every delivery comes from this one address: its buckets run but never refuse.
            ["Grid:RateLimits:AnonymousPermitsPerSecond"] = 1_000_000.ToString(CultureInfo.InvariantCulture),
            ["Grid:RateLimits:AnonymousBurst"] = 1_000_000.ToString(CultureInfo.InvariantCulture),
            ["Grid:RateLimits:WebhookPermitsPerSecond"] = 1_000_000.ToString(CultureInfo.InvariantCulture),
            ["Grid:RateLimits:WebhookBurst"] = 1_000_000.ToString(CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < Packages.Count; i++)
        {
            settings[$"Grid:TopUps:Packages:{i}:Id"] = Packages[i].Id;
            settings[$"Grid:TopUps:Packages:{i}:Credits"] = Packages[i].Credits.ToString(CultureInfo.InvariantCulture);
            settings[$"Grid:TopUps:Packages:{i}:PriceCents"] = Packages[i].PriceCents.ToString(CultureInfo.InvariantCulture);
        }

        return settings;
    }

    /// <summary>The payments, with how long opening accounts and starting checkouts took, and paying and building the bodies.</summary>
    public static async Task<(PreparedPayment[] Payments, TimeSpan Started, TimeSpan Paid)> PrepareAsync(
        GatewayBenchSilo silo, StripeStandIn stripe, int count, int concurrency)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(stripe);
        using var admin = silo.AdminClient();
        var clock = Stopwatch.StartNew();
        var started = new (string AccountId, string PaymentId, long Credits)[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, cancellationToken) =>
        {
            var accountId = AccountPrefix + i.ToString(CultureInfo.InvariantCulture);
            var package = Packages[i % Packages.Count];
            await PostAsync(admin, "/v1/accounts", $$"""{"id":"{{accountId}}"}""", cancellationToken);
            using var checkout = JsonDocument.Parse(await PostAsync(
                admin, $"/v1/accounts/{accountId}/topups/checkout", $$"""{"operationId":"topup-1","packageId":"{{package.Id}}"}""", cancellationToken));
            var paymentId = checkout.RootElement.GetProperty("paymentId").GetString()!;
            var credits = checkout.RootElement.GetProperty("credits").GetInt64();
            if (credits != package.Credits)
            {
                throw new InvalidOperationException($"Checkout of {package.Id} for {accountId} is for {credits} credits.");
            }

            started[i] = (accountId, paymentId, credits);
        });

        var startedIn = clock.Elapsed;
        clock.Restart();

        // The payer pays each session; Stripe would then send checkout.session.completed with the paid session.
        var sessions = stripe.CheckoutSessions.ToDictionary(s => s.ClientReferenceId ?? "", s => s.Id, StringComparer.Ordinal);
        var payments = new PreparedPayment[count];
        Parallel.For(0, count, i =>
        {
            var (accountId, paymentId, credits) = started[i];
            var paid = stripe.CompleteCheckoutSession(sessions[paymentId]);
            var eventId = StripeTestIds.Event();
            payments[i] = new PreparedPayment(accountId, paymentId, credits, eventId, Encoding.UTF8.GetBytes(StripeEvents.CheckoutSessionCompleted(eventId, paid)));
        });
        return (payments, startedIn, clock.Elapsed);
    }

    private static async Task<string> PostAsync(HttpClient http, string path, string json, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return text;
    }
}
