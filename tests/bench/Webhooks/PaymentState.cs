namespace Grid.Bench.Webhooks;

/// <summary>What became of a payment's first delivery.</summary>
public enum PaymentState
{
    NotSent,
    Sent,
    Applied,
}
