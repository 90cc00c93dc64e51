namespace Grid.Runtime;

/// <summary>Per-reference call options. A null timeout means the method's or the runtime's default.</summary>
public sealed record GrainCallOptions(TimeSpan? ResponseTimeout = null)
{
    public static GrainCallOptions Default { get; } = new();
}
