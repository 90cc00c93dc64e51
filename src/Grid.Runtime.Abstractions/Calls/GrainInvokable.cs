namespace Grid.Runtime;

/// <summary>Base of generated invokables: runs the call against the grain instance.</summary>
public abstract class GrainInvokable<TResult> : IGrainInvokable
{
    public abstract string InterfaceName { get; }

    public abstract string MethodName { get; }

    public virtual TimeSpan? ResponseTimeout => null;

    public abstract ValueTask<TResult> InvokeAsync(object grain);

    protected static ValueTask<VoidResult> ToResult(Task task) =>
        task.IsCompletedSuccessfully ? default : new ValueTask<VoidResult>(AwaitAsync(task));

    protected static ValueTask<VoidResult> ToResult(ValueTask task) =>
        task.IsCompletedSuccessfully ? default : new ValueTask<VoidResult>(AwaitAsync(task.AsTask()));

    private static async Task<VoidResult> AwaitAsync(Task task)
    {
        await task.ConfigureAwait(false);
        return default;
    }
}
