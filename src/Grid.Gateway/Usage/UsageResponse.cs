using Grid.Ledger.Persistence;

namespace Grid.Gateway.Usage;

/// <summary>An account's usage summed by day or kind over [from, to).</summary>
internal sealed record UsageResponse(string AccountId, DateTimeOffset From, DateTimeOffset To, string GroupBy, IReadOnlyList<UsageSummaryRow> Rows, UsageSummaryRow Total);
