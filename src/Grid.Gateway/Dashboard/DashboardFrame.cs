namespace Grid.Gateway.Dashboard;

/// <summary>
/// One sample of the cluster as the dashboard shows it: every silo in the view, totals over the silos that
/// answered, rates over the last interval and latency quantiles over the last minute. Rates are null in the
/// first sample, which has nothing to compare with.
/// </summary>
public sealed record DashboardFrame(
    DateTimeOffset At,
    double IntervalSeconds,
    IReadOnlyList<SiloStatus> Silos,
    IReadOnlyDictionary<string, long> ActivationsByType,
    IReadOnlyList<MethodRate> Methods,
    JournalRate Journal,
    IReadOnlyList<ChainStatus> Chains,
    IReadOnlyList<WebhookReading> Webhooks,
    IReadOnlyList<FeedEntry> Feed,
    SamplerState Sampler);
