using Grid.Contracts.Casts;

namespace Grid.Grains.Casts;

/// <summary>
/// A cast as stored (the payload of its <see cref="Grid.Ledger.Persistence.CastRecord"/>). An ending that takes two ledger
/// steps is written down with the first (<see cref="Ending"/>), so a redo finishes the same ending.
/// </summary>
public sealed class CastState
{
    public bool Exists { get; set; }

    public string AccountId { get; set; } = "";

    public string? Kind { get; set; }

    public long Quote { get; set; }

    public int BufferPercent { get; set; }

    public long Held { get; set; }

    public CastStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset TimeoutAt { get; set; }

    /// <summary>The start's request, to tell a repeated start from another under the same id.</summary>
    public string StartRequest { get; set; } = "";

    /// <summary>The operation that ends the cast (complete or fail) and its request; one per cast.</summary>
    public string? EndOperationId { get; set; }

    public string? EndRequest { get; set; }

    /// <summary>The ending is decided (status, price) and its ledger commands may not all be done yet.</summary>
    public bool Ending { get; set; }

    public long? Price { get; set; }

    public decimal? ProviderCost { get; set; }

    public long Charged { get; set; }

    public long Refunded { get; set; }

    public long Shortfall { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public CastState Copy() => (CastState)MemberwiseClone();
}
