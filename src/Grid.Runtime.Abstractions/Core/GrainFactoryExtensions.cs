namespace Grid.Runtime;

/// <summary>
/// Typed access to grains. Extension methods rather than generic interface methods: a generic virtual
/// call costs a runtime lookup on every call, and GetGrain sits on every grain call path.
/// </summary>
public static class GrainFactoryExtensions
{
    public static TGrainInterface GetGrain<TGrainInterface>(this IGrainFactory factory, string key)
        where TGrainInterface : IGrainWithStringKey =>
        (TGrainInterface)factory.GetGrain(typeof(TGrainInterface), key);

    public static TGrainInterface GetGrain<TGrainInterface>(this IGrainFactory factory, string key, GrainCallOptions options)
        where TGrainInterface : IGrainWithStringKey =>
        (TGrainInterface)factory.GetGrain(typeof(TGrainInterface), key, options);
}
