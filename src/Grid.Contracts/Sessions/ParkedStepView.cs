namespace Grid.Contracts.Sessions;

/// <summary>
/// A payout step of a session that its account refused for good, with nowhere else to go: its credits were captured
/// from the payer and are owed to <paramref name="AccountId"/>'s owner, for a person to settle.
/// </summary>
/// <param name="OperationId">The step's ledger operation id: a deposit under it on <paramref name="AccountId"/> would be the payout itself.</param>
/// <param name="Kind"><c>host</c> or <c>treasury</c>.</param>
public sealed record ParkedStepView(string OperationId, string Kind, string AccountId, long Amount);
