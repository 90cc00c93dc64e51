namespace Grid.Runtime.Core;

/// <summary>One call on its way through an activation's mailbox, whatever its result type.</summary>
internal abstract class GrainRequest(GrainId targetId, GrainRequest? caller, bool keepsAlive)
{
    private int _completed;
    private int _abandoned;

    public GrainId TargetId { get; } = targetId;

    /// <summary>The request whose grain code made this call, if any; the links form the call chain.</summary>
    public GrainRequest? Caller { get; } = caller;

    /// <summary>The activation that accepted the request.</summary>
    public ActivationData? Target { get; set; }

    /// <summary>Clock reading at submission for calls sampled for latency; 0 for the rest (clock reads are not free).</summary>
    public long SampledAt { get; set; }

    /// <summary>False for timer ticks: they do not keep an activation from idle collection.</summary>
    public bool KeepsAlive { get; } = keepsAlive;

    public abstract IGrainInvokable Invokable { get; }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>The caller stopped waiting (timeout); a request still in the mailbox is then dropped, not run.</summary>
    public bool IsAbandoned => Volatile.Read(ref _abandoned) != 0;

    public abstract bool Failed { get; }

    public string Describe() => $"{TargetId}.{Invokable.MethodName}";

    /// <summary>
    /// Runs the grain method (on the activation's executor). True when it completed synchronously; the
    /// outcome is then recorded but not yet delivered: the activation calls <see cref="Deliver"/>.
    /// </summary>
    public abstract bool Start(object grain);

    /// <summary>
    /// For a call whose <see cref="Start"/> returned false: reports completion to the activation. Called only
    /// once the activation has booked the call as running, so a completion can never arrive before that.
    /// </summary>
    public abstract void ObserveCompletion();

    /// <summary>Hands the recorded outcome to the caller.</summary>
    public abstract void Deliver();

    /// <summary>Completes the request without running it.</summary>
    public abstract void Fail(Exception error);

    protected void MarkCompleted() => Volatile.Write(ref _completed, 1);

    protected void MarkAbandoned() => Volatile.Write(ref _abandoned, 1);
}
