namespace Grid.Runtime;

/// <summary>One call to one grain method with its arguments, generated per interface method.</summary>
public interface IGrainInvokable
{
    /// <summary>Full name of the grain interface, e.g. "Grid.Contracts.IAccountGrain".</summary>
    string InterfaceName { get; }

    string MethodName { get; }

    /// <summary>The method's own timeout from <see cref="ResponseTimeoutAttribute"/>, if any.</summary>
    TimeSpan? ResponseTimeout { get; }
}
