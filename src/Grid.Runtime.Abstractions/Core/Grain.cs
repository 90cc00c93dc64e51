namespace Grid.Runtime;

/// <summary>Base class of grain implementations.</summary>
public abstract class Grain
{
    private IGrainContext? _context;

    /// <summary>Set by the runtime right after construction, before <see cref="OnActivateAsync"/>.</summary>
    protected IGrainContext Context => _context ?? throw new InvalidOperationException("The grain is not attached to an activation yet.");

    protected GrainId GrainId => Context.GrainId;

    protected IGrainFactory GrainFactory => Context.GrainFactory;

    /// <summary>Runs before any call; persistent state declared in the constructor is already read.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs on graceful deactivation. Not run on a crash: correctness must never depend on it.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    internal void Attach(IGrainContext context) =>
        _context = _context is null ? context : throw new InvalidOperationException("The grain is already attached.");
}
