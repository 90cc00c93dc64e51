using System.Net;

namespace Grid.Stripe.Api.Errors;

/// <summary>
/// A Stripe call that did not give us the object we asked for. Carries what Stripe said about it: the HTTP
/// status, the error's <c>type</c> and <c>code</c>, and the <c>Request-Id</c> to look the request up in the
/// dashboard.
/// </summary>
public abstract class StripeException : Exception
{
    protected StripeException(
        string message,
        HttpStatusCode? statusCode,
        string? errorType,
        string? errorCode,
        string? requestId,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorType = errorType;
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The HTTP status of Stripe's answer; null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The error's <c>type</c>, e.g. <c>card_error</c>, <c>invalid_request_error</c>, <c>api_error</c>.</summary>
    public string? ErrorType { get; }

    /// <summary>The error's <c>code</c>, e.g. <c>card_declined</c>, <c>resource_missing</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>Stripe's <c>Request-Id</c> of the answer, when there was one.</summary>
    public string? RequestId { get; }
}
