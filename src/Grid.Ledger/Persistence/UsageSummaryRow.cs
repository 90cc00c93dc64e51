namespace Grid.Ledger.Persistence;

/// <summary>One group of an account's usage: a day (<c>yyyy-MM-dd</c>, UTC) or a kind (empty when none was given).</summary>
/// <param name="Charged">Credits charged, summed over the group.</param>
/// <param name="NeedsReview">Records in the group that ended without a charge a person must look at.</param>
public sealed record UsageSummaryRow(string Key, long Count, long Units, long Charged, long NeedsReview);
