namespace Grid.Runtime;

/// <summary>
/// A state write found another version than the one this activation holds: another activation wrote first.
/// The activation is deactivated; the next call activates afresh and reads the winner's state.
/// </summary>
public sealed class StateConflictException(GrainId grainId, string stateName, string? expectedETag)
    : Exception($"State '{stateName}' of {grainId} was changed by another activation (expected version {expectedETag ?? "none"}); this activation is deactivated.")
{
    public GrainId GrainId { get; } = grainId;

    public string StateName { get; } = stateName;

    public string? ExpectedETag { get; } = expectedETag;
}
