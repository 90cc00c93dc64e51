namespace Grid.Gateway.Tests.Support;

/// <summary>
/// What the fuzzer aims at: the seeded accounts (one funded with an open hold, one frozen), the admin key, and
/// account keys (read, charge and admin scoped, and one revoked) with their ids.
/// </summary>
public sealed record FuzzTargets(
    string FundedAccount,
    string FrozenAccount,
    string HoldId,
    string AdminKey,
    IReadOnlyList<string> AccountKeys,
    IReadOnlyList<string> KeyIds)
{
    public IReadOnlyList<string> Accounts => [FundedAccount, FrozenAccount];
}
