using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using Grid.Runtime.Hosting;

namespace Grid.Runtime.Transport;

/// <summary>
/// Which grain interface a call belongs to on the wire, and how to build a call from the wire: the generated
/// proxy of each registered grain interface has a <c>CreateCall(methodId, arguments, options)</c> for that.
/// </summary>
public sealed class RemoteCallCatalog
{
    private readonly FrozenDictionary<string, Func<string, JsonElement, JsonSerializerOptions, GrainCall>> _factories;
    private readonly FrozenDictionary<Type, string> _interfaceByProxy;

    public RemoteCallCatalog(GrainTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var proxies = registry.Interfaces
            .Select(i => (Interface: i, Proxy: GrainProxies.ProxyTypeOf(i)))
            .Where(p => p.Proxy is not null)
            .ToArray();
        _interfaceByProxy = proxies.ToFrozenDictionary(p => p.Proxy!, p => p.Interface.FullName!);
        _factories = proxies.ToFrozenDictionary(p => p.Interface.FullName!, p => Factory(p.Proxy!), StringComparer.Ordinal);
    }

    /// <summary>The grain interface a generated call object was made by.</summary>
    public string InterfaceOf(GrainCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.GetType().DeclaringType is { } proxy && _interfaceByProxy.TryGetValue(proxy, out var name)
            ? name
            : throw new NotSupportedException($"{call.InterfaceName}.{call.MethodName} cannot be sent to another silo.");
    }

    /// <summary>Builds the call another silo sent; throws <see cref="NotSupportedException"/> or <see cref="JsonException"/> when it cannot.</summary>
    public GrainCall Create(string grainInterface, string methodId, JsonElement arguments, JsonSerializerOptions options) =>
        _factories.TryGetValue(grainInterface, out var factory)
            ? factory(methodId, arguments, options)
            : throw new NotSupportedException($"Grain interface {grainInterface} is not registered on this silo.");

    private static Func<string, JsonElement, JsonSerializerOptions, GrainCall> Factory(Type proxy)
    {
        var method = proxy.GetMethod("CreateCall", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(JsonElement), typeof(JsonSerializerOptions)])
            ?? throw new InvalidOperationException($"Generated proxy {proxy} lacks CreateCall; rebuild with the current Grid.Runtime.CodeGenerator.");
        return method.CreateDelegate<Func<string, JsonElement, JsonSerializerOptions, GrainCall>>();
    }
}
