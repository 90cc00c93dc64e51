using Microsoft.Extensions.Options;

namespace Grid.Runtime.Membership;

/// <summary>Cluster settings (configuration section <c>Grid:Cluster</c>). Clusters need PostgreSQL.</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Grid:Cluster";

    public const int MinSecretLength = 32;

    /// <summary>Joins the cluster through the membership table; off, the silo is alone.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where other silos and clients reach this silo for grain calls (absolute http URL); required when enabled.</summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// The shared secret silos and embedded clients present on grain calls to each other (at least 32
    /// characters; required when enabled). Anyone holding it can call any grain: keep it with the connection string.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>How often the silo writes its heartbeat and reads the table.</summary>
    public TimeSpan HeartbeatPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A silo whose heartbeat is older than this is out of the view.</summary>
    public TimeSpan SuspectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Rows silent this long are deleted, so the table does not grow with every restart: a departed silo's by its
    /// heartbeat's age, an active one's once a silo has watched its heartbeat stand still this long.
    /// </summary>
    public TimeSpan DepartedRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Throws <see cref="OptionsValidationException"/> naming every bad setting.</summary>
    public void Validate()
    {
        var failures = new List<string>();
        if (HeartbeatPeriod <= TimeSpan.Zero)
        {
            failures.Add($"{SectionName}:HeartbeatPeriod must be positive.");
        }

        // Two heartbeats may be missed to a slow database before the silo drops out of others' views.
        if (SuspectTimeout < 3 * HeartbeatPeriod)
        {
            failures.Add($"{SectionName}:SuspectTimeout must be at least three HeartbeatPeriods.");
        }

        if (DepartedRetention < SuspectTimeout)
        {
            failures.Add($"{SectionName}:DepartedRetention must be at least the SuspectTimeout.");
        }

        if (Enabled && !(Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme == "http"))
        {
            // The cluster port serves h2c (HTTP/2 without TLS): an https endpoint would be accepted here, then every peer's
            // TLS handshake against it would fail and every cross-silo call with it. Encrypt the pod network instead.
            failures.Add($"{SectionName}:Endpoint must be an absolute http URL when the cluster is enabled (the cluster port speaks h2c, without TLS).");
        }

        if (Enabled && (Secret is null || Secret.Length < MinSecretLength))
        {
            failures.Add($"{SectionName}:Secret must be set to at least {MinSecretLength} characters when the cluster is enabled.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(ClusterOptions), failures);
        }
    }
}
