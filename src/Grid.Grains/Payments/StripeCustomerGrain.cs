using Grid.Contracts.Accounts;
using Grid.Contracts.Payments;
using Grid.Ledger.Accounts;
using Grid.Runtime;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Payments;

/// <inheritdoc cref="IStripeCustomerGrain"/>
public sealed class StripeCustomerGrain(
    [PersistentState("stripe-customer")] IPersistentState<StripeCustomerState> state,
    ILogger<StripeCustomerGrain> logger) : Grain, IStripeCustomerGrain
{
    public async Task<string> Claim(string accountId)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        if (state.State.AccountId is { } holder && holder != accountId)
        {
            // A closed holder charges nobody again: the customer may move on (a person's new account, say).
            if (await GrainFactory.GetGrain<IAccountGrain>(holder).Get() is not { Status: AccountStatus.Closed })
            {
                logger.LogWarning("Stripe customer {CustomerId} is saved for account {Holder}; account {AccountId} may not charge it", GrainId.Key, holder, accountId);
                return holder;
            }
        }

        if (state.State.AccountId != accountId)
        {
            state.State.AccountId = accountId;
            await state.WriteStateAsync();
        }

        return accountId;
    }

    public Task<string?> Holder() => Task.FromResult(state.State.AccountId);
}
