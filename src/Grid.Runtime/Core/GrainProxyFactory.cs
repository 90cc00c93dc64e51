using System.Collections.Frozen;
using Grid.Runtime.Hosting;

namespace Grid.Runtime.Core;

/// <summary>Creates the generated proxies; one compiled constructor delegate per grain interface.</summary>
internal sealed class GrainProxyFactory
{
    private readonly GrainTypeRegistry _registry;
    private readonly FrozenDictionary<Type, ProxyInfo> _known;

    public GrainProxyFactory(GrainTypeRegistry registry)
    {
        _registry = registry;
        // Every registered grain interface's proxy, resolved once; lookups on the call path never write.
        _known = registry.Interfaces
            .Where(HasProxy)
            .ToFrozenDictionary(i => i, Build, TypeIdentityComparer.Instance);
    }

    public IGrain Create(Type grainInterface, IGrainCallInvoker invoker, string key, GrainCallOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        var info = _known.TryGetValue(grainInterface, out var found) ? found : Build(grainInterface);
        // A live activation hands out one shared reference per interface: no allocation, and the
        // reference already knows where its calls go.
        if (ReferenceEquals(options, GrainCallOptions.Default) && info.GrainType.Activations.TryGetValue(key, out var activation))
        {
            if (activation.CanonicalReference(grainInterface) is { } shared)
            {
                return shared;
            }

            var reference = NewReference(info, invoker, key, options, activation);
            activation.SetCanonicalReference(reference);
            return (IGrain)reference;
        }

        return (IGrain)NewReference(info, invoker, key, options, target: null);
    }

    private static GrainReference NewReference(ProxyInfo info, IGrainCallInvoker invoker, string key, GrainCallOptions options, ActivationData? target)
    {
        var proxy = (GrainReference)info.Create(invoker, new GrainId(info.GrainType.Name, key), options);
        proxy.TypeHandle = info.GrainType;
        proxy.InterfaceType = info.Interface;
        proxy.CachedTarget = target;
        return proxy;
    }

    private static bool HasProxy(Type grainInterface) => GrainProxies.ProxyTypeOf(grainInterface) is not null;

    private ProxyInfo Build(Type grainInterface) =>
        new(grainInterface, _registry.GetByInterface(grainInterface), GrainProxies.Constructor(grainInterface));

    /// <summary>A runtime Type is its own identity: compare references, skip the virtual Equals.</summary>
    private sealed class TypeIdentityComparer : IEqualityComparer<Type>
    {
        public static readonly TypeIdentityComparer Instance = new();

        public bool Equals(Type? x, Type? y) => ReferenceEquals(x, y);

        public int GetHashCode(Type type) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(type);
    }

    private sealed record ProxyInfo(Type Interface, GrainTypeInfo GrainType, Func<IGrainCallInvoker, GrainId, GrainCallOptions, IGrain> Create);
}
