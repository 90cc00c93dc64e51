using System.Reflection;

namespace Grid.Runtime.Hosting;

/// <summary>Maps grain type names and grain interfaces to the registered grain classes. Built once at start.</summary>
public sealed class GrainTypeRegistry
{
    private readonly Dictionary<string, GrainTypeInfo> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, GrainTypeInfo> _byInterface = [];

    public GrainTypeRegistry(IEnumerable<GrainRegistration> registrations)
    {
        foreach (var registration in registrations.DistinctBy(r => r.GrainClass))
        {
            var grainClass = registration.GrainClass;
            if (!typeof(Grain).IsAssignableFrom(grainClass) || grainClass.IsAbstract)
            {
                throw new ArgumentException($"{grainClass} is not a concrete Grain class.");
            }

            var info = new GrainTypeInfo(NameOf(grainClass), grainClass);
            if (!_byName.TryAdd(info.Name, info))
            {
                throw new ArgumentException($"Grain type name '{info.Name}' is used by both {_byName[info.Name].GrainClass} and {grainClass}.");
            }

            foreach (var grainInterface in grainClass.GetInterfaces().Where(IsGrainInterface))
            {
                if (!_byInterface.TryAdd(grainInterface, info))
                {
                    throw new ArgumentException($"{grainInterface} is implemented by both {_byInterface[grainInterface].GrainClass} and {grainClass}.");
                }
            }
        }
    }

    public IReadOnlyCollection<GrainTypeInfo> Types => _byName.Values;

    /// <summary>Every grain interface implemented by a registered grain class.</summary>
    public IReadOnlyCollection<Type> Interfaces => _byInterface.Keys;

    public GrainTypeInfo GetByName(string name) =>
        _byName.TryGetValue(name, out var info) ? info : throw new ArgumentException($"No grain class is registered for grain type '{name}'.");

    public GrainTypeInfo GetByInterface(Type grainInterface) =>
        _byInterface.TryGetValue(grainInterface, out var info) ? info : throw new ArgumentException($"No registered grain class implements {grainInterface}.");

    /// <summary>The [GrainType] name, or the class name without a "Grain" suffix, lower-cased.</summary>
    public static string NameOf(Type grainClass)
    {
        if (grainClass.GetCustomAttribute<GrainTypeAttribute>() is { } attribute)
        {
            return attribute.Name;
        }

        var name = grainClass.Name;
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length)
        {
            name = name[..^"Grain".Length];
        }

        return name.ToLowerInvariant();
    }

    private static bool IsGrainInterface(Type type) =>
        typeof(IGrain).IsAssignableFrom(type) && type != typeof(IGrain) && type != typeof(IGrainWithStringKey);
}
