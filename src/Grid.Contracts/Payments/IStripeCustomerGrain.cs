using Grid.Runtime;

namespace Grid.Contracts.Payments;

/// <summary>
/// Which account a saved Stripe customer's cards are charged for (key: the customer id, <c>cus_...</c>). The first
/// account to save the customer for auto-reload has it until that account is closed; another account naming it is
/// refused, so a key of one account can never have another person's saved card charged for its own credits.
/// </summary>
public interface IStripeCustomerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims the customer for <paramref name="accountId"/> if nobody has it (or its holder is closed) and returns the
    /// account that holds it now: <paramref name="accountId"/> when the claim stands, another id when it does not.
    /// </summary>
    Task<string> Claim(string accountId);

    /// <summary>The account the customer is saved for (closed or not), or null when no account ever claimed it.</summary>
    [Idempotent]
    Task<string?> Holder();
}
