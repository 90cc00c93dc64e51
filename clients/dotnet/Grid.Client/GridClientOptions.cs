namespace Grid.Client;

/// <summary>How a <see cref="GridClient"/> finds and talks to the cluster. Give endpoints or a membership connection string.</summary>
public sealed class GridClientOptions
{
    /// <summary>Cluster endpoints of some silos (their <c>Grid:Cluster:Endpoint</c>); the client learns the rest from them.</summary>
    public IReadOnlyList<Uri> Endpoints { get; set; } = [];

    /// <summary>PostgreSQL connection string of the cluster's database: the client reads the membership table itself.</summary>
    public string? MembershipConnectionString { get; set; }

    /// <summary>The cluster's <c>Grid:Cluster:Secret</c>.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>How long a call may take, retries included, unless the method says otherwise.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the view is read again (also after any misrouted or failed call).</summary>
    public TimeSpan RefreshPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a journal watch waits for an announcement before reading the journal anyway. With a membership
    /// connection string announcements come from PostgreSQL at once; with endpoints only, this is the polling period.
    /// </summary>
    public TimeSpan WatchPollPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The cluster's <c>Grid:Cluster:SuspectTimeout</c>, for judging heartbeats in the membership table.</summary>
    public TimeSpan SuspectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Turn errors grains throw back into their exception types. The ledger's is here from the start, so refusals
    /// (<c>insufficient_funds</c>, and <c>unavailable</c>: retry with the same operation id) arrive as
    /// <c>LedgerException</c> with their code; add the codecs of grains of your own.
    /// </summary>
    public IList<Runtime.Transport.IRemoteExceptionCodec> ExceptionCodecs { get; } = [new Contracts.Accounts.LedgerExceptionCodec()];

    /// <summary>Send calls to <c>[Idempotent]</c> methods again when their silo failed before answering.</summary>
    public bool RetryIdempotentCalls { get; set; } = true;

    /// <summary>The client's clock: call timeouts, refresh and poll periods, and the age of heartbeats it reads.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public void Validate()
    {
        var failures = new List<string>();
        if (Endpoints.Count == 0 && string.IsNullOrWhiteSpace(MembershipConnectionString))
        {
            failures.Add("Give Endpoints or MembershipConnectionString.");
        }

        if (Endpoints.Any(e => !e.IsAbsoluteUri || e.Scheme is not ("http" or "https")))
        {
            failures.Add("Endpoints must be absolute http URLs (the silos' cluster endpoints).");
        }

        if (Secret.Length < Runtime.Membership.ClusterOptions.MinSecretLength)
        {
            failures.Add($"Secret must be the cluster's secret (at least {Runtime.Membership.ClusterOptions.MinSecretLength} characters).");
        }

        if (TimeProvider is null)
        {
            failures.Add("TimeProvider must be set.");
        }

        if (ResponseTimeout <= TimeSpan.Zero || RefreshPeriod <= TimeSpan.Zero || SuspectTimeout <= TimeSpan.Zero || WatchPollPeriod <= TimeSpan.Zero)
        {
            failures.Add("ResponseTimeout, RefreshPeriod, SuspectTimeout and WatchPollPeriod must be positive.");
        }

        if (failures.Count > 0)
        {
            throw new ArgumentException("Grid client options: " + string.Join(" ", failures));
        }
    }
}
