using System.Text.Json;

namespace Grid.Runtime.Transport;

/// <summary>A grain call as another silo sent it: the target, the interface and method id, its timeout, and the raw arguments.</summary>
public sealed record RemoteCallEnvelope(GrainId Target, string Interface, string MethodId, TimeSpan Timeout, JsonElement Arguments);
