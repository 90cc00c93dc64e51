namespace Grid.Contracts.Chain;

/// <summary>A wallet and its account.</summary>
/// <param name="LinkedAccountId">The account it was linked to through SIWE, or null.</param>
/// <param name="GuestAccountId">Its own guest account's id (opened or not).</param>
/// <param name="StuckMove">A move of its guest balance waiting for a person, or null.</param>
public sealed record WalletView(string Address, string? LinkedAccountId, string GuestAccountId, DateTimeOffset? LinkedAt, StuckMoveView? StuckMove = null);
