namespace Grid.Runtime.Metrics;

/// <summary>How a grain method is named in metrics: the interface's own name and the method, e.g. <c>IAccountGrain.Execute</c>.</summary>
internal static class GrainMethodLabel
{
    public static string Of(string interfaceName, string methodName)
    {
        // Namespaces would only lengthen every series; a nested interface keeps its outer type's name.
        var start = interfaceName.LastIndexOf('.') + 1;
        return string.Concat(interfaceName.AsSpan(start), ".", methodName);
    }
}
