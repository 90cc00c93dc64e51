namespace Grid.Runtime;

/// <summary>Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/>; the name keys it in storage.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
