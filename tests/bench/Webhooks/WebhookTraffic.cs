using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grid.Bench.Gateway;

namespace Grid.Bench.Webhooks;

/// <summary>
/// The two sides' requests over one pool of keep-alive HTTP/1.1 connections: Stripe's signed deliveries, as the
/// schedule hands them out, and operator deposits of 1 credit to random accounts, counted per account once answered.
/// </summary>
public sealed class WebhookTraffic(DeliverySchedule schedule, IReadOnlyList<PreparedPayment> payments, int clients) : IDisposable
{
    public const string DepositPrefix = "dep-";

    private static readonly MediaTypeHeaderValue StripeContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private static readonly string AdminAuthorization = "Bearer " + GatewayBenchSilo.AdminKey;

    private HttpClient? _http;

    /// <summary>Acknowledged deposits per account (by payment index).</summary>
    public long[] Deposited { get; } = new long[payments.Count];

    private HttpClient Http => _http ?? throw new InvalidOperationException("Not pointed at a gateway.");

    /// <summary>Sends from now on to <paramref name="gateway"/>, over new connections.</summary>
    public void PointAt(Uri gateway)
    {
        _http?.Dispose();
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = gateway,
        };
    }

    /// <summary>Sends the schedule's next delivery; false when it has none left.</summary>
    public async Task<bool> DeliverAsync(int client, long n)
    {
        if (schedule.Next() is not { } delivery)
        {
            return false;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/stripe")
        {
            Content = new ByteArrayContent(schedule.Payment(delivery).Body),
        };
        request.Content.Headers.ContentType = StripeContentType;
        request.Headers.TryAddWithoutValidation("Stripe-Signature", schedule.Signature(delivery));
        request.Headers.TryAddWithoutValidation("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }

        if (!schedule.Answered(delivery, OutcomeOf(body)))
        {
            throw new InvalidOperationException($"Unexpected answer: {Encoding.UTF8.GetString(body)}");
        }

        return true;
    }

    public async Task DepositAsync(int client, long n)
    {
        var account = (int)((uint)HashCode.Combine(client, n) % (uint)payments.Count);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/accounts/{payments[account].AccountId}/deposits")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"operationId":"{{DepositPrefix}}{{client}}-{{n}}","amount":1}""")),
        };
        request.Content.Headers.ContentType = JsonContentType;
        request.Headers.TryAddWithoutValidation("Authorization", AdminAuthorization);
        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.ReadAsByteArrayAsync();
        Interlocked.Increment(ref Deposited[account]);
    }

    public void Dispose() => _http?.Dispose();

    /// <summary>The <c>outcome</c> of the gateway's receipt, or null if it has none.</summary>
    private static string? OutcomeOf(byte[] receipt)
    {
        try
        {
            using var json = JsonDocument.Parse(receipt);
            return json.RootElement.TryGetProperty("outcome", out var outcome) ? outcome.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
