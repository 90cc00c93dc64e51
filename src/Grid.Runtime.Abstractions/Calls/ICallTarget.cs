namespace Grid.Runtime;

/// <summary>Where an accepted call reports that its grain method finished (the runtime's activation).</summary>
internal interface ICallTarget
{
    GrainId GrainId { get; }

    void OnCallCompleted(GrainCall call);
}
