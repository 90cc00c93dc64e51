namespace Grid.Gateway.Sessions;

/// <summary>
/// A payout step its account refused for good: <see cref="Amount"/> credits captured from the payer and owed to
/// <see cref="AccountId"/>'s owner. <see cref="OperationId"/> is the deposit that would pay it.
/// </summary>
internal sealed record ParkedStepResponse(string OperationId, string Kind, string AccountId, long Amount);
