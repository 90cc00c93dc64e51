using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Grid.Runtime.Hosting;

namespace Grid.Runtime.Core;

/// <summary>Creates the generated proxies; one compiled constructor delegate per grain interface.</summary>
internal sealed class GrainProxyFactory(GrainTypeRegistry registry)
{
    private readonly ConcurrentDictionary<Type, ProxyInfo> _proxies = new();

    public TGrainInterface Create<TGrainInterface>(IGrainCallInvoker invoker, string key, GrainCallOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        var info = _proxies.TryGetValue(typeof(TGrainInterface), out var found) ? found : _proxies.GetOrAdd(typeof(TGrainInterface), Build);
        return (TGrainInterface)info.Create(invoker, new GrainId(info.GrainType, key), options);
    }

    private ProxyInfo Build(Type grainInterface)
    {
        var proxyType = grainInterface.Assembly.GetCustomAttributes<GrainProxyAttribute>()
            .FirstOrDefault(a => a.GrainInterface == grainInterface)?.ProxyType
            ?? throw new InvalidOperationException(
                $"No generated proxy for {grainInterface}. Grain interfaces must live in a project that references Grid.Runtime.CodeGenerator as an analyzer.");

        var invoker = Expression.Parameter(typeof(IGrainCallInvoker));
        var grainId = Expression.Parameter(typeof(GrainId));
        var options = Expression.Parameter(typeof(GrainCallOptions));
        var constructor = proxyType.GetConstructor([typeof(IGrainCallInvoker), typeof(GrainId), typeof(GrainCallOptions)])
            ?? throw new InvalidOperationException($"Generated proxy {proxyType} lacks its constructor.");
        var create = Expression.Lambda<Func<IGrainCallInvoker, GrainId, GrainCallOptions, object>>(
            Expression.New(constructor, invoker, grainId, options), invoker, grainId, options).Compile();
        return new ProxyInfo(registry.GetByInterface(grainInterface).Name, create);
    }

    private sealed record ProxyInfo(string GrainType, Func<IGrainCallInvoker, GrainId, GrainCallOptions, object> Create);
}
