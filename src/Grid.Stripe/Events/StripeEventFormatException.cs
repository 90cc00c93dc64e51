namespace Grid.Stripe.Events;

/// <summary>A body that is not a Stripe event the grid can read, or an event object that is not of the type asked for.</summary>
public sealed class StripeEventFormatException : FormatException
{
    public StripeEventFormatException(string message)
        : base(message)
    {
    }

    public StripeEventFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
