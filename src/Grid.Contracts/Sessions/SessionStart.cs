namespace Grid.Contracts.Sessions;

/// <summary>What a session is started with (POST /v1/sessions).</summary>
/// <param name="CheckpointUnits">Units between checkpoints; null for the configured default.</param>
public sealed record SessionStart(string AccountId, string HostAccountId, long Deposit, decimal PricePerUnit, long? CheckpointUnits);
