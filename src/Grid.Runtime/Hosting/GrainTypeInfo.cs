using System.Reflection;

namespace Grid.Runtime.Hosting;

/// <summary>A registered grain class: its type name, whether it is reentrant, and its counters.</summary>
public sealed class GrainTypeInfo
{
    internal GrainTypeInfo(string name, Type grainClass)
    {
        Name = name;
        GrainClass = grainClass;
        IsReentrant = grainClass.GetCustomAttribute<ReentrantAttribute>() is not null;
        Stats = new Metrics.GrainTypeStats(name);
    }

    public string Name { get; }

    public Type GrainClass { get; }

    public bool IsReentrant { get; }

    internal Metrics.GrainTypeStats Stats { get; }

    /// <summary>This silo's activations of the type, by grain key (see <see cref="Core.Catalog"/>).</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, Core.ActivationData> Activations { get; } = new();
}
