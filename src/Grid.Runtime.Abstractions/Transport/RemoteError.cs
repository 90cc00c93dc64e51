namespace Grid.Runtime.Transport;

/// <summary>What a grain call threw on another silo, as it travels back: a stable type name, the message, and details.</summary>
public sealed record RemoteError(string Type, string Message, IReadOnlyDictionary<string, string?>? Data = null);
