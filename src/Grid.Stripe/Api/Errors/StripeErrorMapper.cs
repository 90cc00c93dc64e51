using System.Net;
using System.Text.Json;
using Grid.Stripe.Api.Json;

namespace Grid.Stripe.Api.Errors;

/// <summary>Turns a Stripe error answer into the typed exception for it.</summary>
internal static class StripeErrorMapper
{
    /// <summary>
    /// <c>card_error</c> is a card problem whatever the status; otherwise the status decides: 401
    /// authentication, 429 rate limit, 400 and 404 invalid request, anything else an API error.
    /// </summary>
    public static StripeException ToException(string operation, HttpResponseMessage response, byte[] body, TimeSpan? retryAfter)
    {
        var status = response.StatusCode;
        var requestId = StripeResponseHeaders.RequestId(response);
        var error = TryRead(body);

        var said = error?.Message is { Length: > 0 } text ? text : DescribeUnreadable(response, body);
        var what = string.Join('/', new[] { error?.Type, error?.Code, error?.DeclineCode }.Where(s => !string.IsNullOrEmpty(s)));
        var message = $"Stripe refused {operation}: {said} (HTTP {(int)status}{(what.Length > 0 ? ", " + what : "")}, request {requestId ?? "unknown"})";

        if (error?.Type == "card_error")
        {
            return new StripeCardException(message, status, error.Code, error.DeclineCode, error.Param, error.PaymentIntent?.Id, requestId);
        }

        return status switch
        {
            HttpStatusCode.Unauthorized => new StripeAuthenticationException(message, status, error?.Type, error?.Code, requestId),
            HttpStatusCode.TooManyRequests => new StripeRateLimitException(message, status, error?.Type, error?.Code, requestId, retryAfter),
            HttpStatusCode.BadRequest or HttpStatusCode.NotFound =>
                new StripeInvalidRequestException(message, status, error?.Type, error?.Code, error?.Param, requestId),
            _ => new StripeApiException(message, status, error?.Type, error?.Code, requestId),
        };
    }

    private static StripeErrorDetails? TryRead(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, StripeApiJsonContext.Default.StripeErrorBody)?.Error;
        }
        catch (JsonException)
        {
            // Not Stripe's error shape (a proxy's HTML page, a cut-off body): the status alone has to do.
            return null;
        }
    }

    private static string DescribeUnreadable(HttpResponseMessage response, byte[] body) =>
        body.Length == 0
            ? "an empty answer without Stripe's error object"
            : $"an answer without Stripe's error object ({response.Content.Headers.ContentType?.MediaType ?? "no content type"}, {body.Length} bytes)";
}
