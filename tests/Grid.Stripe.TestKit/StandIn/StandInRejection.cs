namespace Grid.Stripe.TestKit.StandIn;

/// <summary>Thrown while processing a request to answer it with <see cref="Response"/> instead.</summary>
internal sealed class StandInRejection(StandInResponse response) : Exception("The stand-in refused the request.")
{
    public StandInResponse Response { get; } = response;
}
