namespace Grid.Runtime;

/// <summary>A grain addressed by a string key (account id, payment id, cast id...).</summary>
public interface IGrainWithStringKey : IGrain;
