namespace Grid.Runtime;

/// <summary>Delivers calls made on grain references: to a local activation, or later to the owning silo.</summary>
public interface IGrainCallInvoker
{
    Task<TResult> InvokeAsync<TResult>(GrainId target, GrainInvokable<TResult> invokable, GrainCallOptions options);
}
