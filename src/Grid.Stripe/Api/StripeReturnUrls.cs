using Grid.Stripe.Api.Requests;

namespace Grid.Stripe.Api;

/// <summary>The URLs Checkout sends a payer back to, judged as the session request will judge them.</summary>
public static class StripeReturnUrls
{
    public static bool IsValid(string? url) => StripeRequestRules.IsAbsoluteUrl(url);
}
