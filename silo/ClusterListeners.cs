using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Grid.Silo;

/// <summary>
/// Kestrel's listeners for a clustered silo: the gateway URLs as configured (HTTP/1.1), plus the
/// cluster port from <c>Grid:Cluster:Endpoint</c>, HTTP/2 only (h2c with prior knowledge, for multiplexing).
/// Listeners set in code replace the configured URLs, so the gateway's are set here too.
/// </summary>
internal static class ClusterListeners
{
    public static void Configure(KestrelServerOptions kestrel, string gatewayUrls, Uri clusterEndpoint)
    {
        foreach (var url in gatewayUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (host, port) = HostAndPort(url);
            Listen(kestrel, host, port, HttpProtocols.Http1); // HTTP/2 without TLS needs prior knowledge: cluster port only
        }

        Listen(kestrel, clusterEndpoint.Host, clusterEndpoint.Port, HttpProtocols.Http2);

        // Call streams stay open with no minimum data rate; pings find a peer that vanished without closing its connection.
        kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(10);
        kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
    }

    private static void Listen(KestrelServerOptions kestrel, string host, int port, HttpProtocols protocols)
    {
        if (host is "*" or "+" or "0.0.0.0" or "[::]" or "::")
        {
            kestrel.ListenAnyIP(port, listen => listen.Protocols = protocols);
        }
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, listen => listen.Protocols = protocols);
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, port, listen => listen.Protocols = protocols);
        }
        else
        {
            // A DNS name (as in a cluster manifest): it resolves to this machine, so take every interface.
            kestrel.ListenAnyIP(port, listen => listen.Protocols = protocols);
        }
    }

    private static (string Host, int Port) HostAndPort(string url)
    {
        // "http://*:5080" is not a valid URI; the wildcard is swapped for a placeholder host to parse it.
        var parsable = url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal);
        if (!Uri.TryCreate(parsable, UriKind.Absolute, out var uri) || uri.Scheme != "http")
        {
            throw new InvalidOperationException($"Gateway URL '{url}' cannot be used with a cluster: plain http://host:port URLs only.");
        }

        return (uri.Host == "wildcard.invalid" ? "*" : uri.Host, uri.Port);
    }
}
