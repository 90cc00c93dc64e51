namespace Grid.Contracts.Payments;

/// <summary>
/// Operation ids the payment rails use on accounts (a payment's credit, refund reversals, dispute holds, chain credits and reorg reversals, casts' and sessions' holds and payouts; auto-reload's
/// settings changes). Callers over HTTP may not use them: a caller who could void a dispute's hold by its id could
/// spend credits the card network is taking back, and one who used a payment's credit id first could block it.
/// </summary>
public static class RailOperationIds
{
    public const string CardPrefix = "card:";

    public const string AutoReloadPrefix = "auto-reload-settings:";

    /// <summary>On-chain payments' credits and reorg reversals.</summary>
    public const string ChainPrefix = "chain:";

    /// <summary>A cast's hold, its capture or void, and a shortfall's debit.</summary>
    public const string CastPrefix = "cast:";

    /// <summary>A metered session's deposit hold, its checkpoint captures and the payouts to host and treasury.</summary>
    public const string SessionPrefix = "session:";

    /// <summary>The reserved prefixes, for messages.</summary>
    public static IReadOnlyList<string> Prefixes { get; } = [CardPrefix, AutoReloadPrefix, ChainPrefix, CastPrefix, SessionPrefix];

    public static bool IsReserved(string? id) =>
        id is not null
        && (id.StartsWith(CardPrefix, StringComparison.Ordinal)
            || id.StartsWith(AutoReloadPrefix, StringComparison.Ordinal)
            || id.StartsWith(ChainPrefix, StringComparison.Ordinal)
            || id.StartsWith(CastPrefix, StringComparison.Ordinal)
            || id.StartsWith(SessionPrefix, StringComparison.Ordinal));
}
