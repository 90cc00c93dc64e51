namespace Grid.Runtime;

/// <summary>
/// Lets the turns of a grain interleave at awaits. Code still runs on the activation's single
/// logical thread: two pieces of the same activation never run at the same time.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute;
