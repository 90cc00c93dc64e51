namespace Grid.Ledger.Persistence;

/// <summary>How an account's usage is summed.</summary>
public enum UsageGrouping
{
    Day,
    Kind,
}
