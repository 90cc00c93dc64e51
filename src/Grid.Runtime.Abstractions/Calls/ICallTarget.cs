namespace Grid.Runtime;

/// <summary>Where an accepted call reports that its grain method finished (the runtime's activation).</summary>
internal interface ICallTarget
{
    void OnCallCompleted(GrainCall call);
}
