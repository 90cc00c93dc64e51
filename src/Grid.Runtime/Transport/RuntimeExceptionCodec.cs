using System.Globalization;

namespace Grid.Runtime.Transport;

/// <summary>
/// The runtime's own exceptions (timeouts, call cycles, overload, unavailability, state conflicts, failed activations)
/// across silos, and a store's transient failure as one: a caller must read each the same whichever silo ran the grain
/// (a gateway answers all of them "retry with the same operation id", never 500).
/// </summary>
internal sealed class RuntimeExceptionCodec : IRemoteExceptionCodec
{
    private const string Timeout = "grid.call-timeout";
    private const string Cycle = "grid.call-cycle";
    private const string Overloaded = "grid.overloaded";
    private const string Unavailable = "grid.silo-unavailable";
    private const string Conflict = "grid.state-conflict";
    private const string ActivationFailed = "grid.activation-failed";
    private const string Transient = "grid.transient";

    /// <summary>Far more links than any call chain has; bounds what a frame from another silo can make this one build.</summary>
    private const int MaxCycleLinks = 1_000;

    public RemoteError? Encode(Exception error) => error switch
    {
        GrainCallCycleException cycle => new RemoteError(Cycle, cycle.Message, CycleData(cycle)),
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
        GrainActivationException activation => new RemoteError(ActivationFailed, activation.Message, new Dictionary<string, string?>
        {
            ["grain"] = activation.GrainId.ToString(),
            ["causeType"] = TypeName(activation.InnerException),
            ["causeMessage"] = activation.InnerException?.Message,
        }),
        System.Data.Common.DbException { IsTransient: true } store => new RemoteError(Transient, store.Message, new Dictionary<string, string?>
        {
            ["type"] = TypeName(store),
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
        Cycle => new GrainCallCycleException(Grain(error), Text(error, "method"), CycleOf(error)),
        ActivationFailed => new GrainActivationException(
            Grain(error), new RemoteGrainException(Text(error, "causeType"), error.Data?.GetValueOrDefault("causeMessage") ?? string.Empty)),
        Transient => new RemoteGrainException(Text(error, "type"), error.Message, isTransient: true),
        _ => null,
    };

    private static string TypeName(Exception? error) => error is null ? "unknown" : error.GetType().FullName ?? error.GetType().Name;

    /// <summary>The cycle's links one per entry (<c>link.0</c>, <c>link.1</c>...): a grain key may hold any separator.</summary>
    private static Dictionary<string, string?> CycleData(GrainCallCycleException cycle)
    {
        var data = new Dictionary<string, string?>
        {
            ["grain"] = cycle.GrainId.ToString(),
            ["method"] = cycle.Method,
            ["links"] = cycle.Cycle.Count.ToString(CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < cycle.Cycle.Count; i++)
        {
            data[string.Create(CultureInfo.InvariantCulture, $"link.{i}")] = cycle.Cycle[i];
        }

        return data;
    }

    private static string[] CycleOf(RemoteError error)
    {
        var count = int.Parse(Text(error, "links"), CultureInfo.InvariantCulture);
        if (count is < 0 or > MaxCycleLinks)
        {
            throw new FormatException($"Remote error {error.Type} names {count} links.");
        }

        return Enumerable.Range(0, count).Select(i => Text(error, string.Create(CultureInfo.InvariantCulture, $"link.{i}"))).ToArray();
    }

    private static string Text(RemoteError error, string name) =>
        error.Data?.GetValueOrDefault(name) ?? throw new FormatException($"Remote error {error.Type} lacks '{name}'.");

    private static GrainId Grain(RemoteError error)
    {
        var text = Text(error, "grain");
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? new GrainId(text[..slash], text[(slash + 1)..]) : throw new FormatException($"Remote error names grain '{text}'.");
    }
}
