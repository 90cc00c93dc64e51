namespace Grid.Runtime;

/// <summary>Overrides the runtime's response timeout for one grain interface method.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class ResponseTimeoutAttribute(double seconds) : Attribute
{
    public TimeSpan Timeout { get; } = TimeSpan.FromSeconds(seconds);
}
