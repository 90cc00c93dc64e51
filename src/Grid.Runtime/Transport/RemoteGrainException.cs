namespace Grid.Runtime.Transport;

/// <summary>A grain on another silo threw an exception no registered codec knows; its type name and message.</summary>
public sealed class RemoteGrainException(string remoteType, string message) : Exception($"{remoteType}: {message}")
{
    public string RemoteType { get; } = remoteType;
}
