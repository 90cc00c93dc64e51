using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grid.Stripe.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grid.Stripe.TestKit.StandIn;

/// <summary>
/// A local stand-in for the part of Stripe's REST API the grid uses, served by Kestrel on 127.0.0.1 over real
/// HTTP. It holds the client to what Stripe demands (the bearer key, the pinned <c>Stripe-Version</c>, form
/// encoding, known parameters only) and to what the grid promises (an <c>Idempotency-Key</c> on every POST);
/// it keeps idempotent results as Stripe does (a repeated key with the same parameters replays the first
/// answer, with other parameters is an <c>idempotency_error</c>); it answers with objects shaped like Stripe's;
/// and it records every request. Failures are scripted with <see cref="Script"/>. Tests read the objects it holds
/// (<see cref="CheckoutSessions"/>, <see cref="PaymentIntents"/>, <see cref="Charges"/>) and play the payer
/// (<see cref="CompleteCheckoutSession"/>, <see cref="ExpireCheckoutSession"/>). A grid under test is pointed at it
/// with <see cref="BaseAddress"/> as the API base and <see cref="SecretKey"/> as the key.
/// </summary>
public sealed partial class StripeStandIn : IAsyncDisposable
{
    public const string SecretKey = "sk_test_51GridStandInQ8vT2pX4mN7rL1kJ6hG3fD9sA0zY5wE8uI2oP4aS6dF7gH1jK3lZ9xC5vB2nM8qW4eR6tY0uI3oPgr1D";
    public const string CustomerId = "cus_GridStandIn01";

    /// <summary>Stripe's test payment methods, saved on <see cref="CustomerId"/>: one that pays, and two that fail off-session.</summary>
    public const string CardSucceeds = "pm_card_visa";
    public const string CardInsufficientFunds = "pm_card_chargeDeclinedInsufficientFunds";
    public const string CardNeedsAuthentication = "pm_card_authenticationRequired";

    private static readonly Regex RetrievePath = new(@"^/v1/(checkout/sessions|payment_intents|charges)/([A-Za-z0-9_]+)$", RegexOptions.CultureInvariant);
    private static readonly Regex ExpirePath = new(@"^/v1/checkout/sessions/([A-Za-z0-9_]+)/expire$", RegexOptions.CultureInvariant);

    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly WebApplication _app;
    private readonly List<StandInRequest> _requests = [];
    private readonly Queue<StandInFault> _faults = new();
    private readonly Dictionary<string, StoredResult> _idempotentResults = new(StringComparer.Ordinal);
    // In creation order, which is the order tests read them in.
    private readonly OrderedDictionary<string, JsonObject> _checkoutSessions = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, JsonObject> _paymentIntents = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, JsonObject> _charges = new(StringComparer.Ordinal);

    // What a session's payment_intent_data asked of the PaymentIntent Checkout creates when the payer pays.
    private readonly Dictionary<string, CheckoutIntentData> _checkoutIntentData = new(StringComparer.Ordinal);

    // Each customer's saved cards.
    private readonly Dictionary<string, List<string>> _customers = new(StringComparer.Ordinal)
    {
        [CustomerId] = [CardSucceeds, CardInsufficientFunds, CardNeedsAuthentication],
    };

    private StandInFault? _standingFault;
    private int _hangsArrived;
    private int _replays;

    private StripeStandIn(TimeProvider clock, WebApplication app)
    {
        _clock = clock;
        _app = app;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A new customer with the same saved test cards as <see cref="CustomerId"/>, for a test whose accounts each need their own.</summary>
    public string AddCustomer()
    {
        var customer = StripeTestIds.Customer();
        lock (_lock)
        {
            _customers[customer] = [CardSucceeds, CardInsufficientFunds, CardNeedsAuthentication];
        }

        return customer;
    }

    public IReadOnlyList<StandInRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public int CheckoutSessionsCreated => Count(_checkoutSessions);

    public int PaymentIntentsCreated => Count(_paymentIntents);

    public int ChargesCreated => Count(_charges);

    /// <summary>How many answers were replays of a stored idempotent result.</summary>
    public int Replays => Volatile.Read(ref _replays);

    /// <summary>Starts the stand-in on a free loopback port, on the system clock.</summary>
    public static Task<StripeStandIn> StartAsync() => StartAsync(TimeProvider.System);

    /// <summary>Starts the stand-in on a free loopback port.</summary>
    /// <param name="clock">Stamps requests and objects, so tests can see the waits between attempts.</param>
    public static async Task<StripeStandIn> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new StripeStandIn(clock, app);
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        standIn.BaseAddress = new Uri(address);
        return standIn;
    }

    /// <summary>Serves <paramref name="faults"/>, one per request, to the next requests to arrive.</summary>
    public void Script(params StandInFault[] faults)
    {
        lock (_lock)
        {
            foreach (var fault in faults)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>Serves <paramref name="fault"/> to every request once the script is used up (null: none).</summary>
    public void FailEveryRequest(StandInFault? fault)
    {
        lock (_lock)
        {
            _standingFault = fault;
        }
    }

    /// <summary>The Checkout Session as the stand-in would serve it now, or null if there is none by that id.</summary>
    public JsonObject? CheckoutSessionJson(string id) => Find(_checkoutSessions, id);

    /// <summary>The PaymentIntent as the stand-in would serve it now, or null if there is none by that id.</summary>
    public JsonObject? PaymentIntentJson(string id) => Find(_paymentIntents, id);

    /// <summary>The Charge as the stand-in would serve it now, or null if there is none by that id.</summary>
    public JsonObject? ChargeJson(string id) => Find(_charges, id);

    /// <summary>Waits until <paramref name="count"/> requests have arrived to a <see cref="StandInFault.Hang"/>.</summary>
    public Task WaitForHangsAsync(int count) =>
        Eventually.TrueAsync(() => Volatile.Read(ref _hangsArrived) >= count, $"{count} hanging request(s) at the stand-in");

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var requestId = StripeTestIds.Request();
        StandInRequest request;
        StandInFault? fault;
        lock (_lock)
        {
            request = new StandInRequest(
                _requests.Count + 1,
                requestId,
                http.Request.Method,
                http.Request.Path.Value ?? "",
                Header(http, "Authorization"),
                Header(http, "Stripe-Version"),
                Header(http, "Idempotency-Key"),
                http.Request.ContentType,
                body,
                StandInForm.Decode(body),
                _clock.GetUtcNow());
            _requests.Add(request);
            fault = _faults.Count > 0 ? _faults.Dequeue() : _standingFault;
        }

        http.Response.Headers["Request-Id"] = requestId;
        if (fault is StandInFault.Hang)
        {
            Interlocked.Increment(ref _hangsArrived);
            try
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up on the request, as it should.
            }

            return;
        }

        if (FrontDoor(fault) is { } early)
        {
            await early(http, requestId);
            return;
        }

        StandInResponse response;
        var replayed = false;
        lock (_lock)
        {
            try
            {
                response = Process(request, requestId, out replayed);
            }
            catch (StandInRejection rejection)
            {
                response = rejection.Response;
            }
        }

        if (replayed)
        {
            Interlocked.Increment(ref _replays);
        }

        if (fault is StandInFault.DropAfterProcessing)
        {
            http.Abort();
            return;
        }

        await WriteAsync(http, response, requestId, request.IdempotencyKey, replayed);
    }

    /// <summary>How a front-door fault answers, or null for faults that let the request through.</summary>
    private static Func<HttpContext, string, Task>? FrontDoor(StandInFault? fault) => fault switch
    {
        StandInFault.RateLimited limited => (http, id) => WriteAsync(
            http,
            StandInResponse.Error(
                429,
                "invalid_request_error",
                "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
                "rate_limit",
                headers: limited.RetryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = limited.RetryAfter }),
            id),
        StandInFault.ServerError error => (http, id) => WriteAsync(
            http,
            StandInResponse.Error(
                error.Status,
                "api_error",
                "An unknown error occurred",
                headers: error.ShouldRetry is null ? null : new Dictionary<string, string> { ["Stripe-Should-Retry"] = error.ShouldRetry }),
            id),
        StandInFault.Error error => (http, id) => WriteAsync(
            http,
            StandInResponse.Error(
                error.Status,
                error.Type,
                error.Message,
                error.Code,
                declineCode: error.DeclineCode,
                headers: error.ShouldRetry is null ? null : new Dictionary<string, string> { ["Stripe-Should-Retry"] = error.ShouldRetry }),
            id),
        StandInFault.HtmlServerError html => (http, _) =>
        {
            http.Response.StatusCode = html.Status;
            http.Response.ContentType = "text/html";
            return http.Response.WriteAsync($"<html><head><title>{html.Status} Bad Gateway</title></head><body><h1>{html.Status} Bad Gateway</h1></body></html>");
        },
        StandInFault.MalformedJson => (http, _) =>
        {
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync("{\n  \"id\": \"cs_test_a1cut\",\n  \"object\": \"checkout.session\",\n  \"url\": \"https://checkout.str");
        },
        StandInFault.WrongObject => (http, _) =>
        {
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync("{\"id\":\"txn_3Grid0000000000000000000\",\"object\":\"balance_transaction\",\"amount\":500}");
        },
        _ => null,
    };

    private StandInResponse Process(StandInRequest request, string requestId, out bool replayed)
    {
        replayed = false;
        CheckAuthorization(request.Authorization);
        if (request.StripeVersion != StripeClientOptions.ApiVersion)
        {
            throw new StandInRejection(StandInResponse.InvalidRequest(
                $"Invalid Stripe API version: {request.StripeVersion ?? "(none)"} (this stand-in serves {StripeClientOptions.ApiVersion} and expects it pinned)"));
        }

        if (request.Method == HttpMethods.Get)
        {
            return Retrieve(request.Path);
        }

        if (request.Method != HttpMethods.Post)
        {
            throw new StandInRejection(UnrecognizedUrl(request));
        }

        if (request.ContentType?.Split(';')[0].Trim() != "application/x-www-form-urlencoded")
        {
            throw new StandInRejection(StandInResponse.InvalidRequest(
                $"Invalid request: unsupported Content-Type {request.ContentType ?? "(none)"}. If error persists and you need assistance, please contact support@stripe.com."));
        }

        // Stripe makes the key optional; the grid promises one on every POST, so the stand-in holds it to that.
        if (string.IsNullOrEmpty(request.IdempotencyKey))
        {
            throw new StandInRejection(StandInResponse.InvalidRequest("The stand-in requires an Idempotency-Key on every POST."));
        }

        var fingerprint = request.Path + "?" + request.RawBody;
        if (_idempotentResults.TryGetValue(request.IdempotencyKey, out var stored))
        {
            if (stored.Fingerprint != fingerprint)
            {
                throw new StandInRejection(StandInResponse.Error(
                    400,
                    "idempotency_error",
                    $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{request.IdempotencyKey}' if you meant to execute a different request."));
            }

            replayed = true;
            return stored.Response;
        }

        var form = StandInForm.Parse(request.RawBody);
        var expiring = ExpirePath.Match(request.Path);
        var response = request.Path switch
        {
            "/v1/checkout/sessions" => CreateCheckoutSession(form),
            "/v1/payment_intents" => CreatePaymentIntent(form),
            _ when expiring.Success => ExpireCheckoutSession(expiring.Groups[1].Value, form),
            _ => throw new StandInRejection(UnrecognizedUrl(request)),
        };

        // Stripe keeps the result of every request that began executing, failures (a declined card) included.
        _idempotentResults[request.IdempotencyKey] = new StoredResult(fingerprint, response, requestId);
        return response;
    }

    private static void CheckAuthorization(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            throw new StandInRejection(StandInResponse.Error(
                401,
                "invalid_request_error",
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."));
        }

        if (authorization != "Bearer " + SecretKey)
        {
            var given = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : authorization;
            var masked = given.Length > 12 ? given[..8] + new string('*', given.Length - 12) + given[^4..] : "****";
            throw new StandInRejection(StandInResponse.Error(
                401,
                "invalid_request_error",
                $"Invalid API Key provided: {masked}",
                headers: new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer realm=\"Stripe\"" }));
        }
    }

    private StandInResponse Retrieve(string path)
    {
        var match = RetrievePath.Match(path);
        if (!match.Success)
        {
            throw new StandInRejection(StandInResponse.Error(404, "invalid_request_error", $"Unrecognized request URL (GET: {path})."));
        }

        var (objects, name) = match.Groups[1].Value switch
        {
            "checkout/sessions" => (_checkoutSessions, "checkout.session"),
            "payment_intents" => (_paymentIntents, "payment_intent"),
            _ => (_charges, "charge"),
        };
        var id = match.Groups[2].Value;
        return objects.TryGetValue(id, out var found)
            ? StandInResponse.Ok(found)
            : StandInResponse.Error(404, "invalid_request_error", $"No such {name}: '{id}'", "resource_missing", "id");
    }

    private static StandInResponse UnrecognizedUrl(StandInRequest request) =>
        StandInResponse.Error(404, "invalid_request_error", $"Unrecognized request URL ({request.Method}: {request.Path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.");

    private static async Task WriteAsync(HttpContext http, StandInResponse response, string requestId, string? idempotencyKey = null, bool replayed = false)
    {
        http.Response.StatusCode = response.Status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["Stripe-Version"] = StripeClientOptions.ApiVersion;
        if (idempotencyKey is not null)
        {
            http.Response.Headers["Idempotency-Key"] = idempotencyKey;
        }

        if (replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            http.Response.Headers[name] = value;
        }

        var body = response.Body.DeepClone();
        if (body["error"] is JsonObject error)
        {
            error["request_log_url"] = $"https://dashboard.stripe.com/test/logs/{requestId}?t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        }

        await http.Response.WriteAsync(body.ToJsonString());
    }

    private static string? Header(HttpContext http, string name) =>
        http.Request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    private int Count(OrderedDictionary<string, JsonObject> objects)
    {
        lock (_lock)
        {
            return objects.Count;
        }
    }

    private JsonObject? Find(OrderedDictionary<string, JsonObject> objects, string id)
    {
        lock (_lock)
        {
            return objects.TryGetValue(id, out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    private long Now() => _clock.GetUtcNow().ToUnixTimeSeconds();

    private sealed record StoredResult(string Fingerprint, StandInResponse Response, string RequestId);

    private sealed record CheckoutIntentData(JsonObject Metadata, string? SetupFutureUsage);
}
