using System.ComponentModel;

namespace Grid.Runtime;

/// <summary>Base class of the generated typed proxies. Cheap to create; holds no activation.</summary>
public abstract class GrainReference(IGrainCallInvoker invoker, GrainId grainId, GrainCallOptions options)
{
    public GrainId GrainId { get; } = grainId;

    public GrainCallOptions Options { get; } = options;

    /// <summary>The runtime's handle on the grain's type, stamped when the reference is made, so calls skip a lookup.</summary>
    internal object? TypeHandle { get; set; }

    /// <summary>The grain interface this reference was made for, stamped by the runtime with <see cref="TypeHandle"/>.</summary>
    internal Type? InterfaceType { get; set; }

    /// <summary>
    /// The activation the last call went to; the next call tries it first (a stale one refuses the call
    /// and the runtime looks the grain up again). Runtime-owned; races only cost a lookup.
    /// </summary>
    internal object? CachedTarget { get; set; }

    [EditorBrowsable(EditorBrowsableState.Never)]
    protected Task<TResult> InvokeAsync<TResult>(GrainInvokable<TResult> call)
    {
        invoker.Send(this, call);
        return call.GetResultAsync();
    }

    public override string ToString() => GrainId.ToString();
}
