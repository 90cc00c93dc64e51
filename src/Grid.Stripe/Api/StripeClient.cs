using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Grid.Stripe.Api.Errors;
using Grid.Stripe.Api.Forms;
using Grid.Stripe.Api.Json;
using Grid.Stripe.Api.Objects;
using Grid.Stripe.Api.Requests;
using Grid.Stripe.Api.Retries;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Grid.Stripe.Api;

/// <summary>
/// A small client for the parts of Stripe's REST API the grid uses. Every request carries the secret key
/// as a bearer token and the pinned <see cref="StripeClientOptions.ApiVersion"/>; every POST carries an
/// <c>Idempotency-Key</c> derived from our payment id, the same on each attempt, so retries (ours, or a
/// caller's after a lost answer) never create a second object. Safe for concurrent use: make one and share it.
/// </summary>
public sealed partial class StripeClient : IStripeClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger<StripeClient> _logger;
    private readonly string _keyHint;

    /// <summary>A client with its own connection pool.</summary>
    public StripeClient(StripeClientOptions options, TimeProvider time, ILogger<StripeClient> logger)
        : this(Validated(options), CreateHandler(), disposeHandler: true, time, logger)
    {
    }

    /// <summary>A client sending through <paramref name="handler"/>.</summary>
    public StripeClient(StripeClientOptions options, HttpMessageHandler handler, bool disposeHandler, TimeProvider time, ILogger<StripeClient> logger)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);

        // A copy: later changes to the caller's instance must not change a client already in use.
        var settings = Copy(Validated(options));
        _time = time;
        _logger = logger;
        _keyHint = settings.SecretKeyHint;
        _pipeline = StripeResiliencePipeline.Create(settings, time, logger);
        _http = new HttpClient(handler, disposeHandler)
        {
            BaseAddress = new Uri(settings.ApiBase.AbsoluteUri.TrimEnd('/') + "/"),
            // Each attempt has its own timeout in the pipeline, on the injected clock.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.SecretKey);
        _http.DefaultRequestHeaders.Add("Stripe-Version", StripeClientOptions.ApiVersion);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Grid.Stripe", "1"));
    }

    public Task<StripeCheckoutSession> CreateCheckoutSessionAsync(CheckoutSessionCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = request.ToForm();
        return SendAsync(
            new StripeCall(HttpMethod.Post, "v1/checkout/sessions", form.EncodeToBytes(), StripeIdempotencyKey.ForCheckoutSession(request.PaymentId)),
            StripeApiJsonContext.Default.StripeCheckoutSession,
            StripeCheckoutSession.Type,
            cancellationToken);
    }

    public Task<StripePaymentIntent> CreatePaymentIntentAsync(OffSessionPaymentIntentCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = request.ToForm();
        return SendAsync(
            new StripeCall(HttpMethod.Post, "v1/payment_intents", form.EncodeToBytes(), StripeIdempotencyKey.ForPaymentIntent(request.PaymentId)),
            StripeApiJsonContext.Default.StripePaymentIntent,
            StripePaymentIntent.Type,
            cancellationToken);
    }

    public Task<StripeCheckoutSession> RetrieveCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        StripeRequestRules.ObjectId(sessionId, "cs_", nameof(sessionId));
        return SendAsync(
            new StripeCall(HttpMethod.Get, "v1/checkout/sessions/" + sessionId, formBody: null, idempotencyKey: null),
            StripeApiJsonContext.Default.StripeCheckoutSession,
            StripeCheckoutSession.Type,
            cancellationToken);
    }

    public Task<StripeCheckoutSession> ExpireCheckoutSessionAsync(string sessionId, string paymentId, CancellationToken cancellationToken)
    {
        StripeRequestRules.ObjectId(sessionId, "cs_", nameof(sessionId));
        return SendAsync(
            new StripeCall(HttpMethod.Post, $"v1/checkout/sessions/{sessionId}/expire", [], StripeIdempotencyKey.ForCheckoutSessionExpiry(paymentId)),
            StripeApiJsonContext.Default.StripeCheckoutSession,
            StripeCheckoutSession.Type,
            cancellationToken);
    }

    public Task<StripePaymentIntent> RetrievePaymentIntentAsync(string paymentIntentId, CancellationToken cancellationToken)
    {
        StripeRequestRules.ObjectId(paymentIntentId, "pi_", nameof(paymentIntentId));
        return SendAsync(
            new StripeCall(HttpMethod.Get, "v1/payment_intents/" + paymentIntentId, formBody: null, idempotencyKey: null),
            StripeApiJsonContext.Default.StripePaymentIntent,
            StripePaymentIntent.Type,
            cancellationToken);
    }

    public Task<StripeCharge> RetrieveChargeAsync(string chargeId, CancellationToken cancellationToken)
    {
        // Card charges are ch_...; charges of some other payment methods are py_....
        if (!StripeRequestRules.IsObjectId(chargeId, "ch_") && !StripeRequestRules.IsObjectId(chargeId, "py_"))
        {
            throw new ArgumentException("A charge id starts with \"ch_\" (or \"py_\") and has only letters, digits and '_'.", nameof(chargeId));
        }

        return SendAsync(
            new StripeCall(HttpMethod.Get, "v1/charges/" + chargeId, formBody: null, idempotencyKey: null),
            StripeApiJsonContext.Default.StripeCharge,
            StripeCharge.Type,
            cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(StripeCall call, JsonTypeInfo<T> type, string objectType, CancellationToken cancellationToken)
        where T : class, IStripeObject
    {
        HttpResponseMessage response;
        var context = ResilienceContextPool.Shared.Get(call.Operation, cancellationToken);
        try
        {
            response = await _pipeline.ExecuteAsync(
                static (context, state) => state.Client.SendOnceAsync(state.Call, context.CancellationToken),
                context,
                (Client: this, Call: call)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            LogNoAnswer(_logger, call.Operation, call.Attempts, call.IdempotencyKey, e.Message);
            throw new StripeConnectionException(
                $"Stripe did not answer {call.Operation} in {call.Attempts} attempt(s): {e.Message}"
                + (call.IdempotencyKey is null ? "" : $" Whether it took effect is unknown; repeating it with idempotency key {call.IdempotencyKey} is safe."),
                e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var requestId = StripeResponseHeaders.RequestId(response);
            if (!response.IsSuccessStatusCode)
            {
                var error = StripeErrorMapper.ToException(call.Operation, response, body, StripeResponseHeaders.RetryAfter(response, _time.GetUtcNow()));
                if (error is StripeAuthenticationException)
                {
                    LogKeyRefused(_logger, _keyHint, call.Operation, requestId);
                }

                throw error;
            }

            var result = Parse(call, response, body, type, objectType, requestId);
            LogDone(_logger, call.Operation, result.Id, call.Attempts, requestId, call.IdempotencyKey);
            return result;
        }
    }

    private async ValueTask<HttpResponseMessage> SendOnceAsync(StripeCall call, CancellationToken cancellationToken)
    {
        call.Attempts++;
        using var request = new HttpRequestMessage(call.Method, call.Path);
        if (call.IdempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", call.IdempotencyKey);
        }

        if (call.FormBody is not null)
        {
            request.Content = new ByteArrayContent(call.FormBody);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(StripeFormEncoder.MediaType);
        }

        // The whole body is read inside the attempt, so its timeout and retries cover a body cut off midway.
        return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    private static T Parse<T>(StripeCall call, HttpResponseMessage response, byte[] body, JsonTypeInfo<T> type, string objectType, string? requestId)
        where T : class, IStripeObject
    {
        T? result;
        try
        {
            result = JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException e)
        {
            throw new StripeResponseFormatException(
                $"Stripe answered {call.Operation} with HTTP {(int)response.StatusCode} and a body that is not a readable {objectType} ({e.Message}); request {requestId ?? "unknown"}",
                response.StatusCode,
                requestId,
                e);
        }

        if (result is null || result.ObjectType != objectType || string.IsNullOrEmpty(result.Id))
        {
            throw new StripeResponseFormatException(
                $"Stripe answered {call.Operation} with HTTP {(int)response.StatusCode} but not with a {objectType} (object \"{result?.ObjectType}\", id \"{result?.Id}\"); request {requestId ?? "unknown"}",
                response.StatusCode,
                requestId);
        }

        return result;
    }

    private static StripeClientOptions Validated(StripeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private static StripeClientOptions Copy(StripeClientOptions options) => new()
    {
        SecretKey = options.SecretKey,
        ApiBase = options.ApiBase,
        AttemptTimeout = options.AttemptTimeout,
        MaxAttempts = options.MaxAttempts,
        BaseDelay = options.BaseDelay,
        MaxDelay = options.MaxDelay,
        MaxRetryAfter = options.MaxRetryAfter,
    };

    private static SocketsHttpHandler CreateHandler() => new()
    {
        // Re-resolve Stripe's addresses now and then rather than pinning one connection forever.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stripe {Operation}: {ObjectId} in {Attempts} attempt(s), request {RequestId}, idempotency key {IdempotencyKey}")]
    private static partial void LogDone(ILogger logger, string operation, string objectId, int attempts, string? requestId, string? idempotencyKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe {Operation}: no answer in {Attempts} attempt(s), idempotency key {IdempotencyKey}: {Reason}")]
    private static partial void LogNoAnswer(ILogger logger, string operation, int attempts, string? idempotencyKey, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe refused the API key ending {KeyHint} for {Operation} (request {RequestId}); check Grid:Stripe:SecretKey")]
    private static partial void LogKeyRefused(ILogger logger, string keyHint, string operation, string? requestId);
}
