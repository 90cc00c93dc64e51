namespace Grid.Gateway.Dashboard;

/// <summary><c>GET /dashboard/snapshot</c>: the cluster now (read for the request: totals, no rates), and the samples the running sampler kept (oldest first; none while it is idle).</summary>
public sealed record DashboardSnapshot(DashboardFrame Current, IReadOnlyList<DashboardFrame> History);
