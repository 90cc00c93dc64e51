using Grid.Contracts.Payments;
using Grid.Ledger.Idempotency;

namespace Grid.Contracts.Casts;

/// <summary>
/// The cast id (the start's operation id) and the ledger operation ids derived from it: <c>cast:{id}:hold</c>,
/// <c>:capture</c>, <c>:shortfall</c> and <c>:void</c>, all starting with <see cref="RailOperationIds.CastPrefix"/>.
/// </summary>
public static class CastIds
{
    private const string LongestStep = "shortfall";

    /// <summary>
    /// The longest cast id (113): every derived id must still fit the operation id grammar's
    /// <see cref="OperationIds.MaxLength"/> characters, or a cast could be held and then never charged.
    /// </summary>
    public static readonly int MaxLength = OperationIds.MaxLength - Step("", LongestStep).Length;

    public static bool IsValid(string? id) => OperationIds.IsValid(id) && id!.Length <= MaxLength;

    /// <summary>The ledger operation id of one step of the cast: <c>hold</c>, <c>capture</c>, <c>shortfall</c> or <c>void</c>.</summary>
    public static string Step(string castId, string step) => $"{RailOperationIds.CastPrefix}{castId}:{step}";
}
