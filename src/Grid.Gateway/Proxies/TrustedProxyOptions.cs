using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Proxies;

/// <summary>
/// The proxies in front of the gateway (<c>Grid:Gateway:TrustedProxies</c>: addresses or CIDR networks) whose
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> name the real client and scheme. Without them every client
/// behind a TLS-terminating proxy is the proxy's address, sharing one set of per-address budgets (wrong-key guesses,
/// anonymous requests, first wallet sign-ins), and every request looks like plain HTTP. Empty: the headers are ignored,
/// as any client could send them.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "Grid:Gateway";

    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// The options as configured: a list (<c>Grid__Gateway__TrustedProxies__0</c>, <c>__1</c>...) or one value, which may
    /// name several networks separated by commas. The binder drops a single value given for a list without a word, and
    /// the gateway would then trust no proxy, every client behind it sharing the proxy's per-address budgets.
    /// </summary>
    public static TrustedProxyOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var options = section.Get<TrustedProxyOptions>() ?? new TrustedProxyOptions();
        if (section.GetSection(nameof(TrustedProxies)).Value is { Length: > 0 } single)
        {
            options.TrustedProxies.AddRange(single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return options;
    }

    /// <summary>The configured networks (a bare address is a network of one); throws naming the setting when one is not.</summary>
    public IReadOnlyList<IPNetwork> Networks()
    {
        var networks = new List<IPNetwork>(TrustedProxies.Count);
        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            var entry = TrustedProxies[i].Trim();
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                throw new OptionsValidationException(SectionName, typeof(TrustedProxyOptions),
                    [$"{SectionName}:TrustedProxies:{i} must be an IP address or a CIDR network (e.g. 10.0.0.0/8), not '{entry}'."]);
            }
        }

        return networks;
    }
}
