using Grid.Stripe.Api;

namespace Grid.Grains.Payments;

/// <summary>The silo's Stripe API client, or none when no secret key is configured (card payments are then refused).</summary>
public sealed class StripeConnection(IStripeClient? client) : IDisposable
{
    public IStripeClient? Client { get; } = client;

    public bool IsConfigured => Client is not null;

    /// <summary>The client's HTTP handler lives as long as the silo.</summary>
    public void Dispose() => (Client as IDisposable)?.Dispose();
}
