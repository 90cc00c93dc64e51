namespace Grid.Stripe.TestKit.StandIn;

/// <summary>One request as the stand-in received it, before it decided anything about it, and the <c>Request-Id</c> it answered with.</summary>
public sealed record StandInRequest(
    int Sequence,
    string RequestId,
    string Method,
    string Path,
    string? Authorization,
    string? StripeVersion,
    string? IdempotencyKey,
    string? ContentType,
    string RawBody,
    IReadOnlyList<KeyValuePair<string, string>> Form,
    DateTimeOffset At)
{
    public string? Field(string name) => Form.FirstOrDefault(f => f.Key == name).Value;
}
