using System.ComponentModel;
using System.Linq.Expressions;
using System.Reflection;

namespace Grid.Runtime;

/// <summary>Finds the generated proxy of a grain interface and compiles its constructor (for silos and clients alike).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GrainProxies
{
    /// <summary>The generated proxy type, or null when the interface's project did not run the code generator.</summary>
    public static Type? ProxyTypeOf(Type grainInterface)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        return grainInterface.Assembly.GetCustomAttributes<GrainProxyAttribute>().FirstOrDefault(a => a.GrainInterface == grainInterface)?.ProxyType;
    }

    /// <summary>A compiled call of the proxy's constructor; throws when there is no proxy.</summary>
    public static Func<IGrainCallInvoker, GrainId, GrainCallOptions, IGrain> Constructor(Type grainInterface)
    {
        var proxyType = ProxyTypeOf(grainInterface) ?? throw new InvalidOperationException(
            $"No generated proxy for {grainInterface}. Grain interfaces must live in a project that references Grid.Runtime.CodeGenerator as an analyzer.");
        var invoker = Expression.Parameter(typeof(IGrainCallInvoker));
        var grainId = Expression.Parameter(typeof(GrainId));
        var options = Expression.Parameter(typeof(GrainCallOptions));
        var constructor = proxyType.GetConstructor([typeof(IGrainCallInvoker), typeof(GrainId), typeof(GrainCallOptions)])
            ?? throw new InvalidOperationException($"Generated proxy {proxyType} lacks its constructor.");
        return Expression.Lambda<Func<IGrainCallInvoker, GrainId, GrainCallOptions, IGrain>>(
            Expression.New(constructor, invoker, grainId, options), invoker, grainId, options).Compile();
    }
}
