using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Metrics;

/// <summary>
/// Instruments of the "Grid.Gateway" meter: HTTP requests and their duration by method, route pattern and
/// status. The route is the endpoint's pattern (<c>/v1/accounts/{id}/debits</c>), never the path, so account
/// ids cannot multiply the series; a request no route matched is <c>unmatched</c>.
/// </summary>
public sealed class HttpMetrics
{
    public const string MeterName = "Grid.Gateway";
    public const string Unmatched = "unmatched";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly string[] _statuses;

    public HttpMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("grid.http.requests", unit: "{request}", description: "HTTP requests answered, by method, route pattern and status.");
        _duration = meter.CreateHistogram(
            "grid.http.request.duration",
            unit: "s",
            description: "Time to answer an HTTP request, by method, route pattern and status.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        // Status labels made once: a request then allocates nothing for its tags.
        _statuses = Enumerable.Range(0, 600).Select(s => s.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The route label of an endpoint: its pattern, or <see cref="Unmatched"/>.</summary>
    public static string RouteOf(Endpoint? endpoint) => (endpoint as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText ?? Unmatched;

    /// <summary>A known method's canonical name; anything else is "other", so clients cannot invent series.</summary>
    public static string MethodOf(string method) =>
        HttpMethods.GetCanonicalizedValue(method) switch
        {
            var known when ReferenceEquals(known, HttpMethods.Get) || ReferenceEquals(known, HttpMethods.Post) || ReferenceEquals(known, HttpMethods.Put)
                || ReferenceEquals(known, HttpMethods.Delete) || ReferenceEquals(known, HttpMethods.Patch) || ReferenceEquals(known, HttpMethods.Head)
                || ReferenceEquals(known, HttpMethods.Options) => known,
            _ => "other",
        };

    public void RequestFinished(string method, string route, int status, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "method", method },
            { "route", route },
            { "status", (uint)status < (uint)_statuses.Length ? _statuses[status] : "other" },
        };
        _requests.Add(1, in tags);
        _duration.Record(elapsed.TotalSeconds, in tags);
    }
}
