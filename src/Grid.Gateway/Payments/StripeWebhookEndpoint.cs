using Grid.Contracts.Payments;
using Grid.Gateway.Accounts;
using Grid.Gateway.Hosting;
using Grid.Gateway.Metrics;
using Grid.Gateway.OpenApi;
using Grid.Gateway.Problems;
using Grid.Ledger.Errors;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Grid.Stripe.Events;
using Grid.Stripe.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Payments;

/// <summary>
/// <c>POST /v1/webhooks/stripe</c>: authenticated by its signature alone. A verified event is read, its payment
/// found (the event's own payment id, else the links payments record for their PaymentIntents and charges) and
/// handed to that payment's grain, which applies it exactly once. 200 when handled, already handled, ignored or
/// kept for review; 400 on a bad signature or body (nothing changes); 503 when the ledger could not confirm
/// (Stripe retries, and the retry is applied once).
/// </summary>
internal static class StripeWebhookEndpoint
{
    /// <summary>Where Stripe delivers; authenticated by the signature, with a per-address budget of its own.</summary>
    public const string Route = "/v1/webhooks/stripe";

    /// <summary>Stripe's events are a few kilobytes; a charge with many refunds stays far below this.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public const string InvalidSignatureCode = "invalid_signature";

    /// <summary>The provider label of the webhook metrics.</summary>
    private const string Provider = "stripe";

    public static void MapStripeWebhook(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Route, ReceiveAsync)
            .WithName("StripeWebhook")
            .WithSummary("Receives a Stripe event; authenticated by its Stripe-Signature header (200 handled, already handled or ignored; 400 bad signature).")
            .Produces<WebhookReceipt>(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext http, StripeSignatureVerifier verifier, IProcessedEventStore processedEvents, IGrainFactory grains, TimeProvider time,
        WebhookMetrics metrics, IOptions<StripeWebhookOptions> options, ILogger<StripeWebhookOptions> logger)
    {
        byte[]? body;
        try
        {
            body = await ReadBodyAsync(http.Request, http.RequestAborted);
        }
        catch (BadHttpRequestException unreadable)
        {
            metrics.Received(Provider, WebhookMetrics.Unverified, "unreadable");
            return GridProblem.Unreadable(unreadable);
        }

        if (body is null)
        {
            metrics.Received(Provider, WebhookMetrics.Unverified, "too_large");
            return GridProblem.Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "Payload too large", $"A webhook body is at most {MaxBodyBytes} bytes.");
        }

        var verified = verifier.Verify(http.Request.Headers[StripeSignatureVerifier.HeaderName].ToString(), body);
        if (!verified.IsVerified)
        {
            logger.LogWarning("Stripe webhook refused: {Failure}", verified.Failure);
            metrics.Received(Provider, WebhookMetrics.Unverified, InvalidSignatureCode);
            return GridProblem.Create(
                StatusCodes.Status400BadRequest, InvalidSignatureCode, "Invalid signature", verified.Detail,
                new Dictionary<string, object?> { ["reason"] = verified.Failure.ToString() });
        }

        TranslatedEvent? translated;
        string type;
        string eventId;
        try
        {
            var stripeEvent = StripeEvent.Parse(body);
            type = stripeEvent.Type;
            eventId = stripeEvent.Id;
            if (options.Value.LiveMode is { } live && stripeEvent.Livemode != live)
            {
                // Signed with a configured secret, yet of the other mode: a test endpoint's secret among the live ones (or
                // the other way round). Its objects are never this grid's payments, whatever their metadata says.
                logger.LogError("Stripe event {EventId} is {Mode} but the API key is not; not acted on (check Grid:Stripe:WebhookSecrets)", stripeEvent.Id, stripeEvent.Livemode ? "live" : "test");
                metrics.Received(Provider, type, CardEventOutcome.Ignored);
                return Receipt(CardEventOutcome.Ignored);
            }

            translated = StripeEventTranslator.Translate(stripeEvent);
        }
        catch (StripeEventFormatException malformed)
        {
            logger.LogWarning("Signed Stripe event could not be read: {Reason}", malformed.Message);
            metrics.Received(Provider, "unreadable", "malformed");
            return LedgerProblems.Validation("body", malformed.Message);
        }

        if (translated is null)
        {
            if (type == StripeEventTypes.ChargeDisputeClosed)
            {
                logger.LogError("Stripe event {EventId}: a dispute closed with a status the grid does not settle; its hold stays until a person settles it", eventId);
            }

            metrics.Received(Provider, type, CardEventOutcome.Ignored);
            return Receipt(CardEventOutcome.Ignored);
        }

        string? outcome = null;
        var result = await LedgerCalls.CallAsync(http, async () =>
        {
            var cardEvent = translated.Event;
            var paymentId = await ResolveAsync(translated, processedEvents, http.RequestAborted);
            if (paymentId is null)
            {
                // Kept for review; a payment that later learns this PaymentIntent adopts it. Looked up once more
                // afterwards: the payment may have linked it between the first look and the record.
                await processedEvents.RecordAsync(
                    CardEventPayload.ToProcessedEvent(cardEvent, CardEventOutcome.Unmatched, paymentId: null, time.GetUtcNow()), http.RequestAborted);
                paymentId = await ResolveAsync(translated, processedEvents, http.RequestAborted);
                if (paymentId is null)
                {
                    logger.LogWarning("Stripe event {EventId} ({Type}) matches no payment; kept for review", cardEvent.EventId, cardEvent.Type);
                    outcome = CardEventOutcome.Unmatched;
                    return Receipt(outcome);
                }
            }

            outcome = await grains.GetGrain<IPaymentGrain>(paymentId).Handle(cardEvent);
            return Receipt(outcome);
        });
        metrics.Received(Provider, type, outcome ?? "failed");
        return result;
    }

    private static async Task<string?> ResolveAsync(TranslatedEvent translated, IProcessedEventStore processedEvents, CancellationToken cancellationToken)
    {
        if (PaymentIds.IsValid(translated.PaymentId))
        {
            return translated.PaymentId;
        }

        foreach (var objectId in new[] { translated.Event.PaymentIntentId, translated.Event.ChargeId })
        {
            if (objectId is not null && await processedEvents.FindLinkAsync(CardEventPayload.Source, objectId, cancellationToken) is { } linked)
            {
                return linked;
            }
        }

        return null;
    }

    private static IResult Receipt(string outcome) =>
        Results.Json(new WebhookReceipt(true, outcome), GatewayJsonContext.Default.WebhookReceipt);

    /// <summary>The raw body (the signature covers its exact bytes), or null when it is too large.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
