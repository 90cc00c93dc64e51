using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Gateway.Payments;

/// <summary>
/// Whether a request's <c>Host</c> names an address this gateway listens on. A Checkout return URL made from the Host
/// header must pass this: any client can send any Host, and a URL made from a stranger's would send a payer from a
/// genuine Stripe page of the operator to the stranger's site. A gateway listening on every interface (or behind a
/// proxy) cannot tell its own names; its operator configures the return URLs.
/// </summary>
internal static class ListeningHosts
{
    public static bool Includes(HttpContext http, HostString host)
    {
        if (!host.HasValue || http.RequestServices.GetService<IServer>()?.Features.Get<IServerAddressesFeature>() is not { } listening)
        {
            return false;
        }

        var port = host.Port ?? (http.Request.IsHttps ? 443 : 80);
        foreach (var address in listening.Addresses)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var bound) && bound.Port == port
                && string.Equals(bound.Scheme, http.Request.Scheme, StringComparison.OrdinalIgnoreCase)
                && (string.Equals(bound.Host, host.Host, StringComparison.OrdinalIgnoreCase) || IsLoopback(bound.Host) && IsLoopback(host.Host)))
            {
                return true;
            }
        }

        return false;
    }

    // A gateway on a loopback address is reached by any loopback name (localhost, 127.0.0.1, [::1]): all are this machine.
    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
}
