namespace Grid.Runtime;

/// <summary>
/// Running the method twice with the same arguments has the effect of running it once (every ledger command
/// carries an operation id for that). Clients may send such a call again when a silo failed before answering;
/// calls without it are never repeated by the runtime or the client.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class IdempotentAttribute : Attribute;
