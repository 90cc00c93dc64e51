using Grid.Contracts.Accounts;
using Grid.Ledger.Accounts;
using Grid.Ledger.Errors;

namespace Grid.Contracts.Chain;

/// <summary>
/// The accounts a wallet may be linked to: one that exists, is open and is a full account. Checked by the wallet as it
/// links, and by the gateway before it spends the signed message's nonce, so a refused link leaves the message good.
/// </summary>
public static class WalletLinkTarget
{
    /// <summary>Throws the refusal (naming <c>accountId</c>) when <paramref name="account"/> cannot take a wallet.</summary>
    public static void Require(AccountView? account, string accountId)
    {
        if (account is null)
        {
            throw new LedgerException(LedgerErrorCodes.NotFound, $"There is no account {accountId}.", "accountId");
        }

        if (account.Status == AccountStatus.Closed)
        {
            throw new LedgerException(LedgerErrorCodes.AccountClosed, $"Account {accountId} is closed.", "accountId");
        }

        if (account.Guest)
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, "A wallet is linked to a full account, not a guest account.", "accountId");
        }
    }
}
