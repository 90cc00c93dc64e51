using Grid.Chain.Addresses;
using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;

namespace Grid.Gateway.Siwe;

/// <summary>
/// The account a signed-in wallet uses: <c>wallet-</c> and the address in lower-case hex, opened as a guest
/// account the first time the wallet signs in. The id is derived, so two silos signing the same wallet in at
/// once meet at the same account grain (the second open is <c>already_exists</c>, which is fine here). Only the
/// wallet's own guest account is ever handed out: the prefix is reserved, and an account under it that is not
/// that is refused.
/// </summary>
internal static class WalletAccounts
{
    public const string Prefix = "wallet-";

    public static string IdOf(EthereumAddress wallet)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        return Prefix + Convert.ToHexStringLower(wallet.Bytes);
    }

    public static async Task<string> FindOrOpenAsync(IGrainFactory grains, EthereumAddress wallet)
    {
        var id = IdOf(wallet);
        var account = grains.GetGrain<IAccountGrain>(id);
        var existing = await account.Get();
        if (existing is not null && (!existing.Guest || existing.Name != wallet.ToString()))
        {
            // The prefix is refused to POST /v1/accounts; this guards against an account made some other way.
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Account {id} exists but is not this wallet's own guest account.", "id");
        }

        if (existing is null)
        {
            try
            {
                await account.Execute(new OpenAccount(Name: wallet.ToString(), Guest: true));
            }
            catch (LedgerException raced) when (raced.Code == LedgerErrorCodes.AlreadyExists)
            {
                // Opened by a concurrent sign-in of the same wallet.
            }
        }

        return id;
    }
}
