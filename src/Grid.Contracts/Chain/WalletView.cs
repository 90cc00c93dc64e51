namespace Grid.Contracts.Chain;

/// <summary>A wallet and its account.</summary>
/// <param name="LinkedAccountId">The account it was linked to through SIWE, or null.</param>
/// <param name="GuestAccountId">Its own guest account's id (opened or not).</param>
/// <param name="GuestHandedOnThrough">
/// The guest account's journal sequence of the last debit that moved its credits to a linked account (now, or before an
/// unlink), or null when none ever left: guest credits up to it may have gone with them.
/// </param>
public sealed record WalletView(string Address, string? LinkedAccountId, string GuestAccountId, DateTimeOffset? LinkedAt, long? GuestHandedOnThrough = null);
