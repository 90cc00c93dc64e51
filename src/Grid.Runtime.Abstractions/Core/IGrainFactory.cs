namespace Grid.Runtime;

/// <summary>
/// Hands out grain references. Getting one never activates or places the grain; calling it does.
/// Use the typed <see cref="GrainFactoryExtensions.GetGrain{TGrainInterface}(IGrainFactory, string)"/>.
/// </summary>
public interface IGrainFactory
{
    /// <summary>A reference of the generated proxy type for <paramref name="grainInterface"/>.</summary>
    IGrain GetGrain(Type grainInterface, string key, GrainCallOptions? options = null);
}
