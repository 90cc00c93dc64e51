namespace Grid.Contracts.Casts;

/// <summary>A cast as callers see it.</summary>
/// <param name="Held">Credits held at the start (quote plus buffer).</param>
/// <param name="Charged">Credits taken for the work: the captured part of the hold plus any shortfall debited.</param>
/// <param name="Refunded">Credits of the hold released back to the account.</param>
/// <param name="Shortfall">Credits the price exceeded the hold by and the account could not pay (needs review).</param>
public sealed record CastView(
    string Id,
    string AccountId,
    string? Kind,
    CastStatus Status,
    long Quote,
    int BufferPercent,
    long Held,
    long Charged,
    long Refunded,
    long Shortfall,
    long? Price,
    decimal? ProviderCost,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset TimeoutAt,
    DateTimeOffset? EndedAt);
