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
        // A slot per invokable the type can see: each interface's methods (a derived interface's proxy has
        // its own invokables for inherited methods, hence the doubling), a timer tick and a reminder.
        var methods = grainClass.GetInterfaces().Where(i => typeof(IGrain).IsAssignableFrom(i)).Sum(i => i.GetMethods().Length);
        Stats = new Metrics.GrainTypeStats(name, Math.Min(64, (methods * 2) + 2), () => Activations.Values.Select(a => a.CallCounts));
    }

    public string Name { get; }

    public Type GrainClass { get; }

    public bool IsReentrant { get; }

    internal Metrics.GrainTypeStats Stats { get; }

    /// <summary>This silo's activations of the type, by grain key (see <see cref="Core.Catalog"/>).</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, Core.ActivationData> Activations { get; } = new();
}
