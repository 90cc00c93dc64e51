namespace Grid.Runtime.Placement;

/// <summary>Sends a call to the silo that owns the grain.</summary>
public interface IRemoteGrainInvoker
{
    Task<TResult> InvokeAsync<TResult>(GrainId target, GrainInvokable<TResult> invokable, GrainCallOptions options);
}
