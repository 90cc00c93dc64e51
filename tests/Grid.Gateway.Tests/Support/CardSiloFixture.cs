using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Grid.Storage;
using Grid.Stripe.TestKit.Objects;
using Grid.Stripe.TestKit.StandIn;
using Grid.Stripe.TestKit.Webhooks;

namespace Grid.Gateway.Tests.Support;

/// <summary>
/// A silo process whose Stripe is the test kit's stand-in (Kestrel on 127.0.0.1), with two webhook secrets
/// (the current one and one being rolled out) and fast auto-reload backoff. Webhooks are signed by stripe-node.
/// </summary>
public sealed class CardSiloFixture : IAsyncLifetime
{
    public const string AdminKey = "card-test-admin-key-0123456789abcd";

    public const string WebhookSecret = "whsec_card_test_current_0123456789abcdef";

    public const string OldWebhookSecret = "whsec_card_test_previous_0123456789abcdef";

    public static readonly TimeSpan AutoReloadBackoff = TimeSpan.FromSeconds(3); // the first failure stays visible that long, for a test on a slow machine to read

    /// <summary>Far longer than a test that delivers its charge's webhook takes to; short enough to wait out in one.</summary>
    public static readonly TimeSpan AutoReloadMaxPending = TimeSpan.FromSeconds(40);

    private readonly TemporaryDirectory _directory = new();
    private GridDatabase? _database;

    public StripeStandIn Stripe { get; private set; } = null!;

    public SiloProcess Silo { get; private set; } = null!;

    public LedgerApi Api { get; private set; } = null!;

    public GridDatabase Database => _database ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        Stripe = await StripeStandIn.StartAsync();
        var dataDirectory = _directory.Combine("data");
        Silo = SiloProcess.Start(_directory.Path, new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Auth__TokenSecret"] = "card-test-token-secret-0123456789abcdef", // guest tokens, for the end-user allowance
            ["Grid__Storage__DataDirectory"] = dataDirectory,
            ["Grid__Stripe__SecretKey"] = StripeStandIn.SecretKey,
            ["Grid__Stripe__ApiBase"] = Stripe.BaseAddress.ToString(),
            ["Grid__Stripe__BaseDelay"] = "00:00:00.050",
            ["Grid__Stripe__WebhookSecrets__0"] = WebhookSecret,
            ["Grid__Stripe__WebhookSecrets__1"] = OldWebhookSecret,
            ["Grid__AutoReload__BaseBackoff"] = AutoReloadBackoff.ToString("c", CultureInfo.InvariantCulture),
            ["Grid__AutoReload__MaxFailures"] = "2",
            ["Grid__AutoReload__CheckPeriod"] = "00:00:01",
            ["Grid__AutoReload__MaxPending"] = AutoReloadMaxPending.ToString("c", CultureInfo.InvariantCulture),
            ["Grid__Runtime__ReminderRefreshPeriod"] = "00:00:01",
            ["Grid__RateLimits__AnonymousPermitsPerSecond"] = "10000",
            ["Grid__RateLimits__AnonymousBurst"] = "10000",
        });
        await Silo.WaitReadyAsync();
        Api = new LedgerApi(Silo.Http, AdminKey);
        _database = GridDatabase.Create(new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = dataDirectory });
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Stripe.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _directory.Dispose();
    }

    /// <summary>Starts a top-up of <paramref name="packageId"/>; asserts 201 and returns the payment id and its session.</summary>
    public async Task<(string PaymentId, TestCheckoutSession Session)> StartCheckoutAsync(string accountId, string operationId, string packageId = "credits-2000")
    {
        var response = await Api.PostAsync($"/v1/accounts/{accountId}/topups/checkout", new { operationId, packageId });
        Assert.True(response.Status == HttpStatusCode.Created, response.ToString());
        var paymentId = response.Json.GetProperty("paymentId").GetString()!;
        var session = Stripe.CheckoutSessions.Single(s => s.ClientReferenceId == paymentId);
        Assert.Equal(session.Url, response.Json.GetProperty("checkoutUrl").GetString());
        return (paymentId, session);
    }

    /// <summary>Signs <paramref name="body"/> with stripe-node under the current secret, now, and posts it.</summary>
    public async Task<ApiResponse> DeliverAsync(string body) =>
        await PostWebhookAsync(body, await StripeNode.SignAsync(body, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), WebhookSecret));

    /// <summary>Signs every body in one stripe-node run (now), then posts them in order; returns the answers.</summary>
    public async Task<IReadOnlyList<ApiResponse>> DeliverAllAsync(IReadOnlyList<string> bodies)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var headers = await StripeNode.SignAsync(
            bodies.Select(b => new StripeSignRequest(b, now, [new StripeSignatureSpec(WebhookSecret)])).ToList(), CancellationToken.None);
        var answers = new List<ApiResponse>(bodies.Count);
        for (var i = 0; i < bodies.Count; i++)
        {
            answers.Add(await PostWebhookAsync(bodies[i], headers[i]));
        }

        return answers;
    }

    /// <summary>Posts a webhook body with the given Stripe-Signature header (null: none), as Stripe does (no bearer token).</summary>
    public async Task<ApiResponse> PostWebhookAsync(string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/stripe")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        using var response = await Silo.Http.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    /// <summary>The account's stored snapshot (LedgerJson), read from the silo's database.</summary>
    public async Task<string> AccountSnapshotAsync(string accountId)
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT snapshot FROM accounts WHERE account_id = @id";
        var id = command.CreateParameter();
        id.ParameterName = "id";
        id.Value = accountId;
        command.Parameters.Add(id);
        return (string)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No stored account {accountId}."));
    }

    /// <summary>The processed_events rows (event id, payment id, outcome), read from the silo's database.</summary>
    public async Task<IReadOnlyList<(string EventId, string? PaymentId, string Outcome)>> ProcessedEventsAsync()
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id, payment_id, outcome FROM processed_events ORDER BY event_id";
        var rows = new List<(string, string?, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    public static string Outcome(ApiResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        return response.Json.GetProperty("outcome").GetString()!;
    }

    /// <summary>The account's available balance, read over HTTP.</summary>
    public async Task<long> AvailableAsync(string accountId) => Available((await Api.GetAsync($"/v1/accounts/{accountId}")).Json);

    /// <summary>The payment's status, read over HTTP without a token.</summary>
    public async Task<string> PaymentStatusAsync(string paymentId) =>
        (await Api.GetAsync($"/v1/payments/{paymentId}", key: null)).Json.GetProperty("status").GetString()!;

    public static long Available(JsonElement account) => account.GetProperty("balance").GetProperty("available").GetInt64();
}
