namespace Grid.Runtime;

/// <summary>The result of a grain method that returns a plain Task.</summary>
public readonly record struct VoidResult;
