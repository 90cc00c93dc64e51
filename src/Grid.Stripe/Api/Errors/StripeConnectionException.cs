namespace Grid.Stripe.Api.Errors;

/// <summary>
/// No answer came from Stripe within the attempts allowed: connections failed or timed out. Whether the last
/// attempt took effect is unknown; repeating the call for the same payment is safe (same idempotency key)
/// and tells.
/// </summary>
public sealed class StripeConnectionException : StripeException
{
    public StripeConnectionException(string message, Exception? innerException)
        : base(message, statusCode: null, errorType: null, errorCode: null, requestId: null, innerException)
    {
    }
}
