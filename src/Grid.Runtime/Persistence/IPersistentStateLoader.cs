namespace Grid.Runtime.Persistence;

/// <summary>A state facet the activator reads before OnActivateAsync.</summary>
internal interface IPersistentStateLoader
{
    Task ReadStateAsync(CancellationToken cancellationToken);
}
