using Grid.Stripe.Api.Requests;

namespace Grid.Stripe.Api;

/// <summary>The object ids a caller may hand the grid for Stripe, judged as the requests that carry them will judge them.</summary>
public static class StripeObjectIds
{
    public static bool IsCustomer(string? id) => StripeRequestRules.IsObjectId(id, "cus_");

    /// <summary>A saved payment method: <c>pm_...</c>, or a card saved the older way, <c>card_...</c>.</summary>
    public static bool IsSavedPaymentMethod(string? id) => StripeRequestRules.IsObjectId(id, "pm_") || StripeRequestRules.IsObjectId(id, "card_");
}
