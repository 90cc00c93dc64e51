namespace Grid.Stripe.Api;

/// <summary>
/// The <c>Idempotency-Key</c> of each object-creating call, derived from our payment id and the operation
/// alone. Every attempt of a call, and every later call for the same payment, sends the same key, so Stripe
/// answers a repeat with the object it already created instead of creating a second one.
/// </summary>
/// <remarks>
/// Stripe keeps keys for at least 24 hours and refuses (400 <c>idempotency_error</c>) a key reused with other
/// parameters, which is what we want: a payment id stands for exactly one request.
/// </remarks>
public static class StripeIdempotencyKey
{
    public const int MaxPaymentIdLength = 128;

    /// <summary>
    /// How long after a payment's first ask the same key may safely be sent again: Stripe keeps a key at least 24 hours,
    /// and after that a repeat could create a second object, a second charge of the card. An hour to spare for clocks.
    /// </summary>
    public static readonly TimeSpan SafeRetryWindow = TimeSpan.FromHours(23);

    public static string ForCheckoutSession(string paymentId) => For(paymentId, "checkout");

    public static string ForPaymentIntent(string paymentId) => For(paymentId, "payment_intent");

    /// <summary>
    /// A new key for each ask: expiring is safe to repeat (Stripe refuses a session no longer open), and a key kept across
    /// asks would replay a first answer that failed for 24 hours.
    /// </summary>
    public static string ForCheckoutSessionExpiry(string paymentId) => For(paymentId, "checkout_expire:" + Guid.NewGuid().ToString("N"));

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="paymentId"/> is 1..128 of <c>[A-Za-z0-9_.:-]</c>.</summary>
    public static void ValidatePaymentId(string? paymentId, string parameterName)
    {
        if (string.IsNullOrEmpty(paymentId) || paymentId.Length > MaxPaymentIdLength || !paymentId.All(IsIdCharacter))
        {
            throw new ArgumentException($"A payment id is 1 to {MaxPaymentIdLength} characters of A-Z, a-z, 0-9, '_', '.', ':' and '-'.", parameterName);
        }
    }

    private static string For(string paymentId, string operation)
    {
        ValidatePaymentId(paymentId, nameof(paymentId));
        return $"grid:{paymentId}:{operation}";
    }

    private static bool IsIdCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-';
}
