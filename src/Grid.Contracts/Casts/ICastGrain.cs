using Grid.Runtime;

namespace Grid.Contracts.Casts;

/// <summary>
/// One cast (key: cast id, the start's operation id): a quoted piece of metered work held upfront on its account,
/// then settled for what it cost with the rest released, or voided when it failed or timed out. Every change is
/// idempotent by its operation id.
/// </summary>
public interface ICastGrain : IGrainWithStringKey
{
    Task<CastView> Start(CastStart start);

    Task<CastView> Complete(CastCompletion completion);

    Task<CastView> Fail(CastFailure failure);

    /// <summary>
    /// The sweeper's call for a cast its record says is due: voids it when it ran past its timeout, finishes an ending
    /// that was cut short; anything else is left as it is.
    /// </summary>
    [Idempotent]
    Task Sweep();

    /// <summary>The cast, or null when no cast has this id.</summary>
    [Idempotent]
    Task<CastView?> Get();
}
