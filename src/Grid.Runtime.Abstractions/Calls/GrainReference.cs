using System.ComponentModel;

namespace Grid.Runtime;

/// <summary>Base class of the generated typed proxies. Cheap to create; holds no activation.</summary>
public abstract class GrainReference(IGrainCallInvoker invoker, GrainId grainId, GrainCallOptions options)
{
    public GrainId GrainId { get; } = grainId;

    public GrainCallOptions Options { get; } = options;

    [EditorBrowsable(EditorBrowsableState.Never)]
    protected Task<TResult> InvokeAsync<TResult>(GrainInvokable<TResult> invokable) =>
        invoker.InvokeAsync(GrainId, invokable, Options);

    public override string ToString() => GrainId.ToString();
}
