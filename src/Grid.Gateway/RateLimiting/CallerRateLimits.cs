using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Grid.Gateway.Auth;
using Grid.Gateway.Payments;
using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Grid.Gateway.RateLimiting;

/// <summary>
/// Builds the gateway's global limiter from <see cref="RateLimitOptions"/>. Partitions: the verified key id, the
/// verified end-user token's account (and, chained to it, its address), or the client address; requests are refused
/// at once (no queue), so a flood costs a bucket check, not a waiting request. Idle buckets are dropped by the
/// limiter, keeping memory bounded.
/// </summary>
internal static class CallerRateLimits
{
    public static void Configure(RateLimiterOptions limiter, RateLimitOptions options)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = RejectAsync;
        if (!options.Enabled)
        {
            return;
        }

        var keyed = Bucket(options.PermitsPerSecond, options.Burst);
        var endUser = Bucket(options.EndUserPermitsPerSecond, options.EndUserBurst);
        var endUserAddress = Bucket(options.EndUserAddressPermitsPerSecond, options.EndUserAddressBurst);
        var anonymous = Bucket(options.AnonymousPermitsPerSecond, options.AnonymousBurst);
        var webhooks = Bucket(options.WebhookPermitsPerSecond, options.WebhookBurst);
        var byCaller = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            if (IsCostlyOpenRoute(http.Request.Path))
            {
                // Sized like the anonymous budget but apart from it: a probe never spends what the address's API calls need.
                return RateLimitPartition.GetTokenBucketLimiter("operations:" + AddressOf(http.Connection.RemoteIpAddress), _ => anonymous);
            }

            if (!http.Request.Path.StartsWithSegments("/v1"))
            {
                return RateLimitPartition.GetNoLimiter("unlimited");
            }

            if (http.Request.Path.StartsWithSegments(StripeWebhookEndpoint.Route))
            {
                // A budget of its own (see RateLimitOptions.WebhookPermitsPerSecond): anonymous callers cannot spend it, and
                // it still bounds what forged deliveries from one address cost (a body read, an HMAC and a log line each).
                return RateLimitPartition.GetTokenBucketLimiter("webhook:" + AddressOf(http.Connection.RemoteIpAddress), _ => webhooks);
            }

            return CallerOf(http) switch
            {
                { IsOperator: true } => RateLimitPartition.GetNoLimiter("operator"),
                { Kind: CallerKind.ApiKey, CredentialId: { } keyId } => RateLimitPartition.GetTokenBucketLimiter("key:" + keyId, _ => keyed),
                { AccountId: { } accountId } => RateLimitPartition.GetTokenBucketLimiter("account:" + accountId, _ => endUser),
                _ => RateLimitPartition.GetTokenBucketLimiter("address:" + AddressOf(http.Connection.RemoteIpAddress), _ => anonymous),
            };
        });

        // Every guest and wallet token from one address together: fresh wallets signed in from one address share it.
        var endUsersByAddress = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            http.Request.Path.StartsWithSegments("/v1") && CallerOf(http) is { IsEndUser: true }
                ? RateLimitPartition.GetTokenBucketLimiter("end-users:" + AddressOf(http.Connection.RemoteIpAddress), _ => endUserAddress)
                : RateLimitPartition.GetNoLimiter("not an end user"));
        limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(byCaller, endUsersByAddress);
    }

    /// <summary>The verified caller the caller middleware put on the request, or null.</summary>
    private static GridCaller? CallerOf(HttpContext http) =>
        http.Items.TryGetValue(typeof(CallerResolution), out var value) ? (value as CallerResolution)?.Caller : null;

    /// <summary>
    /// Routes outside the API that anyone may call and that cost the silo real work: a scrape reads every metric under
    /// one lock (and every live activation's counters), a readiness probe asks the database. They get a bucket per address
    /// the size of the anonymous one, which probes and scrapers every few seconds never reach; a flood of them would
    /// otherwise hold threads and database connections the ledger needs. <c>/health/live</c> costs nothing and stays open.
    /// Routing matches paths whatever their case, so this does too (<c>/METRICS</c> reaches the same endpoint).
    /// </summary>
    private static bool IsCostlyOpenRoute(PathString path) =>
        path.StartsWithSegments(Metrics.MetricsEndpoints.Path, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/health/ready", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase); // the document is generated anew per request

    /// <summary>
    /// An IPv4 address as it is; an IPv6 address by its /64, the block one subscriber is usually given, so a
    /// client cannot mint itself a fresh bucket per request.
    /// </summary>
    internal static string AddressOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>A token bucket refused at once when empty: <paramref name="perPeriod"/> back every <paramref name="period"/> (1 s unless given).</summary>
    internal static TokenBucketRateLimiterOptions Bucket(int perPeriod, int burst, TimeSpan? period = null) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perPeriod,
        ReplenishmentPeriod = period ?? TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        await GridProblem.RateLimited(context.HttpContext, seconds, $"This request rate is limited (for this credential or address); retry after {seconds} s.")
            .ExecuteAsync(context.HttpContext);
    }
}
