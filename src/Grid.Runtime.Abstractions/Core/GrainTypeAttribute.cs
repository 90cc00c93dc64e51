namespace Grid.Runtime;

/// <summary>Names a grain class's type in grain ids and storage (e.g. "account"). Must never change once data exists.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
