namespace Grid.Runtime.Hosting;

/// <summary>One grain class registered with <see cref="GridRuntimeServiceCollectionExtensions.AddGrain{TGrain}"/>.</summary>
public sealed record GrainRegistration(Type GrainClass);
