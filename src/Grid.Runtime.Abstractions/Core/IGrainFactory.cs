namespace Grid.Runtime;

/// <summary>Hands out grain references. Getting one never activates or places the grain; calling it does.</summary>
public interface IGrainFactory
{
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;

    TGrainInterface GetGrain<TGrainInterface>(string key, GrainCallOptions options) where TGrainInterface : IGrainWithStringKey;
}
