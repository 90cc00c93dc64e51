namespace Grid.Runtime;

/// <summary>Emitted by the code generator: ties a grain interface to its generated proxy type.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class GrainProxyAttribute(Type grainInterface, Type proxyType) : Attribute
{
    public Type GrainInterface { get; } = grainInterface;

    public Type ProxyType { get; } = proxyType;
}
