namespace Grid.Ledger.Tests.Model;

/// <summary>A journal entry as the reference model expects it (kind by its API name).</summary>
public sealed record ModelEntry(
    long Sequence,
    string Kind,
    long Amount,
    long Released,
    long AvailableAfter,
    long HeldAfter,
    string OperationId,
    string? HoldId,
    long? HoldAmount,
    long? HoldCaptured,
    DateTimeOffset? ExpiresAt,
    string? Reference,
    string? Metadata,
    DateTimeOffset At);

/// <summary>What the model says a command does: an entry (new or replayed) or a refusal.</summary>
public sealed record ModelOutcome(
    ModelEntry? Entry, bool Replayed = false, bool AutoReloadWanted = false,
    string? ErrorCode = null, string? ErrorField = null, long? Available = null, long? Required = null)
{
    public static ModelOutcome Refused(string code, string? field = null) => new(null, ErrorCode: code, ErrorField: field);

    public override string ToString() => ErrorCode is { } code
        ? $"refused {code}{(ErrorField is null ? "" : $" ({ErrorField})")}"
        : $"{(Replayed ? "replayed" : "ok")} #{Entry!.Sequence} {Entry.Kind} amount={Entry.Amount} released={Entry.Released} -> {Entry.AvailableAfter}/{Entry.HeldAfter}";
}
