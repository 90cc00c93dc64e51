using Grid.Chain.Addresses;
using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;

namespace Grid.Gateway.Siwe;

/// <summary>
/// The account a signed-in wallet uses: <c>wallet-</c> and the address in lower-case hex, opened as a guest
/// account the first time the wallet signs in. The id is derived, so two silos signing the same wallet in at
/// once meet at the same account grain (the second open is <c>already_exists</c>, which is fine here).
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
        if (await account.Get() is null)
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
