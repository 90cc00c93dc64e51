namespace Grid.Runtime.Transport;

/// <summary>
/// A grain on another silo threw an exception no registered codec knows; its type name and message.
/// <see cref="IsTransient"/>: it was a store's failure that a retry may cure (a database out of reach), so the
/// call's outcome is unknown and a retry with the same operation id is the answer.
/// </summary>
public sealed class RemoteGrainException(string remoteType, string message, bool isTransient = false) : Exception($"{remoteType}: {message}")
{
    public string RemoteType { get; } = remoteType;

    public bool IsTransient { get; } = isTransient;
}
