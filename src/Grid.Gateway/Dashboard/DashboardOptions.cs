using Microsoft.Extensions.Options;

namespace Grid.Gateway.Dashboard;

/// <summary>Dashboard settings (configuration section <c>Grid:Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Grid:Dashboard";

    /// <summary>How often the sampler reads the counters while a dashboard is open.</summary>
    public int SampleIntervalMs { get; set; } = 1000;

    /// <summary>How far back the charts reach; the history holds this many seconds of samples at most.</summary>
    public int HistorySeconds { get; set; } = 300;

    /// <summary>Dashboard streams open at once on this silo; one more is refused (503).</summary>
    public int MaxViewers { get; set; } = 16;

    /// <summary>How long another silo may take to send its counters before it is shown as unreachable.</summary>
    public int RemoteTimeoutMs { get; set; } = 500;

    /// <summary>Journal entries the live feed shows.</summary>
    public int FeedSize { get; set; } = 50;

    /// <summary>How long a sign-in lasts (the session cookie and its signed token).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan SampleInterval => TimeSpan.FromMilliseconds(SampleIntervalMs);

    /// <summary>Samples the history keeps.</summary>
    public int HistoryLength => Math.Max(1, (int)(HistorySeconds * 1000L / SampleIntervalMs));

    /// <summary>Throws <see cref="OptionsValidationException"/> naming every bad setting.</summary>
    public void Validate()
    {
        var failures = new List<string>();
        if (SampleIntervalMs is < 50 or > 60_000)
        {
            failures.Add($"{SectionName}:SampleIntervalMs must be 50 to 60000.");
        }

        if (HistorySeconds is < 10 or > 3_600)
        {
            failures.Add($"{SectionName}:HistorySeconds must be 10 to 3600.");
        }

        if (MaxViewers is < 1 or > 1_000)
        {
            failures.Add($"{SectionName}:MaxViewers must be 1 to 1000.");
        }

        if (RemoteTimeoutMs is < 10 or > 30_000)
        {
            failures.Add($"{SectionName}:RemoteTimeoutMs must be 10 to 30000.");
        }

        if (FeedSize is < 1 or > 1_000)
        {
            failures.Add($"{SectionName}:FeedSize must be 1 to 1000.");
        }

        if (SessionLifetime < TimeSpan.FromMinutes(1) || SessionLifetime > TimeSpan.FromDays(1))
        {
            failures.Add($"{SectionName}:SessionLifetime must be 1 minute to 1 day.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(DashboardOptions), failures);
        }
    }
}
