using System.Globalization;

namespace Grid.Runtime.Transport;

/// <summary>The runtime's own exceptions (timeouts, overload, unavailability, state conflicts) across silos.</summary>
internal sealed class RuntimeExceptionCodec : IRemoteExceptionCodec
{
    private const string Timeout = "grid.call-timeout";
    private const string Overloaded = "grid.overloaded";
    private const string Unavailable = "grid.silo-unavailable";
    private const string Conflict = "grid.state-conflict";

    public RemoteError? Encode(Exception error) => error switch
    {
        GrainCallTimeoutException { Timeout: not null } timeout => new RemoteError(Timeout, timeout.Message, new Dictionary<string, string?>
        {
            ["grain"] = timeout.GrainId.ToString(),
            ["method"] = timeout.Method,
            ["timeoutMs"] = ((long)timeout.Timeout.Value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        }),
        GrainOverloadedException overloaded => new RemoteError(Overloaded, overloaded.Message, new Dictionary<string, string?>
        {
            ["grain"] = overloaded.GrainId.ToString(),
            ["limit"] = overloaded.Limit.ToString(CultureInfo.InvariantCulture),
        }),
        SiloUnavailableException unavailable => new RemoteError(Unavailable, unavailable.Message),
        StateConflictException conflict => new RemoteError(Conflict, conflict.Message, new Dictionary<string, string?>
        {
            ["grain"] = conflict.GrainId.ToString(),
            ["state"] = conflict.StateName,
            ["etag"] = conflict.ExpectedETag,
        }),
        _ => null,
    };

    public Exception? Decode(RemoteError error) => error.Type switch
    {
        Timeout => new GrainCallTimeoutException(
            Grain(error), Text(error, "method"), TimeSpan.FromMilliseconds(long.Parse(Text(error, "timeoutMs"), CultureInfo.InvariantCulture))),
        Overloaded => new GrainOverloadedException(Grain(error), int.Parse(Text(error, "limit"), CultureInfo.InvariantCulture)),
        Unavailable => new SiloUnavailableException(error.Message),
        Conflict => new StateConflictException(Grain(error), Text(error, "state"), error.Data?.GetValueOrDefault("etag")),
        _ => null,
    };

    private static string Text(RemoteError error, string name) =>
        error.Data?.GetValueOrDefault(name) ?? throw new FormatException($"Remote error {error.Type} lacks '{name}'.");

    private static GrainId Grain(RemoteError error)
    {
        var text = Text(error, "grain");
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? new GrainId(text[..slash], text[(slash + 1)..]) : throw new FormatException($"Remote error names grain '{text}'.");
    }
}
