namespace Grid.Bench.Ledger;

/// <param name="Account">Index into the workload's accounts.</param>
/// <param name="Amount">Credits held, debited or deposited.</param>
/// <param name="Capture">For a hold: what its capture takes (the rest is released).</param>
public readonly record struct LedgerRequest(RequestKind Kind, int Account, long Amount, long Capture);
