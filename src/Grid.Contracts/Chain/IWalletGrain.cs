using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Persistence;
using Grid.Runtime;

namespace Grid.Contracts.Chain;

/// <summary>
/// One wallet (key: its EIP-55 address): the account it pays into and signs in to. Until it is linked to an account,
/// that is the wallet's own guest account, opened on first need.
/// </summary>
public interface IWalletGrain : IGrainWithStringKey
{
    /// <summary>The wallet's account: the linked one, else its guest account (opened now if needed).</summary>
    Task<string> ResolveAccount();

    /// <summary>The account <see cref="ResolveAccount"/> would answer without opening one; null when it would open the guest account.</summary>
    Task<string?> FindAccount();

    /// <summary>
    /// Links the wallet to an existing open account, only after the wallet proved itself (SIWE), and moves the
    /// guest account's available balance there (once, finished later if cut short).
    /// </summary>
    Task<WalletView> Link(string accountId);

    /// <summary>
    /// Ends the wallet's link to <paramref name="accountId"/>: its payments and sign-ins go to its own guest account
    /// again. Not linked to that account: <c>not_found</c>.
    /// </summary>
    Task<WalletView> Unlink(string accountId);

    [Idempotent]
    Task<WalletView> Get();

    /// <summary>
    /// Credits may be on the wallet's guest account (a payment credited there while, or after, the wallet was linked; or
    /// a linked wallet signing in, which looks for any left there): if the wallet is linked, they move to its account as
    /// a link moves them; unlinked, they stay.
    /// </summary>
    Task<WalletView> HandOnGuestBalance();

    /// <summary>
    /// Takes back a credit made to the wallet's guest account (at journal sequence <paramref name="creditSequence"/>,
    /// null when unknown) whose deposit left the chain. Decided and made in the wallet's own turn, so no move of the
    /// guest balance runs in between: while a move may have taken the credit along (the wallet is linked, a move is
    /// under way or parked, or one debited the guest after the credit), the reversal takes no more than the guest has
    /// (<see cref="Reverse.WithinAvailable"/>) and a shortfall is refused (<c>insufficient_funds</c>) for a person to
    /// settle; otherwise the guest goes into debt like any account.
    /// </summary>
    Task<LedgerResult> ReverseGuestCredit(Reverse reversal, ProcessedEvent processedEvent, long? creditSequence);

    /// <summary>
    /// Lets go of the wallet's stuck move <paramref name="operationId"/> once a person has settled it by hand: later
    /// links, sign-ins and guest credits move the guest balance again. No stuck move under that id: <c>not_found</c>; a
    /// move under that id still under way (it finishes by itself): <c>invalid_state</c>.
    /// </summary>
    Task<WalletView> ReleaseStuckMove(string operationId);
}
