using Grid.Contracts;
using Grid.Contracts.Casts;
using Grid.Gateway.Payments;

namespace Grid.Gateway.Casts;

/// <summary>API.md cast: <c>{id, status, held, ...}</c>, with <c>charged</c> and <c>refunded</c> once it ended.</summary>
internal sealed record CastResponse(
    string Id,
    string AccountId,
    string? Kind,
    string Status,
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
    DateTimeOffset? EndedAt)
{
    public static CastResponse From(CastView view) => new(
        view.Id, view.AccountId, view.Kind, StatusNames.Of(view.Status), view.Quote, view.BufferPercent, view.Held,
        view.Charged, view.Refunded, view.Shortfall, view.Price, view.ProviderCost, view.Reason, view.CreatedAt, view.TimeoutAt, view.EndedAt);
}
