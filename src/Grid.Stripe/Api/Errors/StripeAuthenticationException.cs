using System.Net;

namespace Grid.Stripe.Api.Errors;

/// <summary>Stripe did not accept the secret key (401). A configuration problem; never retried.</summary>
public sealed class StripeAuthenticationException : StripeException
{
    public StripeAuthenticationException(string message, HttpStatusCode? statusCode, string? errorType, string? errorCode, string? requestId)
        : base(message, statusCode, errorType, errorCode, requestId)
    {
    }
}
