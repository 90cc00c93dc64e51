namespace Grid.Contracts.Accounts;

/// <summary>Published when an account's available balance falls below its auto-reload threshold (after the entry is durable).</summary>
public sealed record AutoReloadRequested(string AccountId, long Available, long Threshold, long Sequence);
