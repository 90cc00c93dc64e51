using System.ComponentModel;
using System.Text.Json;

namespace Grid.Runtime;

/// <summary>
/// One call to one grain method: its arguments (in the generated subclass), and the runtime's bookkeeping
/// for it on its way through an activation. A call object is used for exactly one call; being the request
/// itself, it saves the runtime an allocation and a generic dispatch per call.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GrainCall : IGrainInvokable
{
    // Separate fields, each written by one party: plain volatile writes, no read-modify-write needed.
    private volatile bool _completed;
    private volatile bool _abandoned;

    public abstract string InterfaceName { get; }

    public abstract string MethodName { get; }

    public virtual TimeSpan? ResponseTimeout => null;

    /// <summary>The method is marked <see cref="IdempotentAttribute"/>: a client may send the call again after a silo failure.</summary>
    public virtual bool IsIdempotent => false;

    /// <summary>Names the method on the wire: unique within its interface, overloads included.</summary>
    public virtual string MethodId => MethodName;

    /// <summary>Writes the arguments as a JSON array, for a call to another silo (generated for grain interface methods).</summary>
    public virtual void WriteArguments(Utf8JsonWriter writer, JsonSerializerOptions options) =>
        throw new NotSupportedException($"{InterfaceName}.{MethodName} cannot be sent to another silo.");

    // Bookkeeping below is the runtime's (Grid.Runtime sees internals); generated code never touches it.

    /// <summary>The call whose grain code made this call, if any; the links form the call chain.</summary>
    internal GrainCall? Caller { get; set; }

    /// <summary>The activation that accepted the call (and so names the grain).</summary>
    internal ICallTarget? Target { get; set; }

    /// <summary>Clock reading at acceptance for calls sampled for latency; 0 for the rest (clock reads are not free).</summary>
    internal long SampledAt { get; set; }

    /// <summary>Timer ticks do not count as use for idle collection.</summary>
    internal bool IsTimerTick { get; init; }

    internal bool IsCompleted => _completed;

    /// <summary>The caller stopped waiting (timeout); a call still in the mailbox is then dropped, not run.</summary>
    internal bool IsAbandoned => _abandoned;

    /// <summary>Set with the outcome: the call threw or was refused.</summary>
    internal bool Failed { get; private protected set; }

    internal string Describe() => $"{Target?.GrainId}.{MethodName}";

    /// <summary>The timeout its caller waits for, once <see cref="PrepareWait"/> has run; null before.</summary>
    internal abstract TimeSpan? WaitTimeout { get; }

    /// <summary>
    /// Called by the runtime, on the caller's thread, for a call that did not complete inside Send: what the
    /// caller needs to wait (the clock and its timeout). Calls that complete at once never pay for it.
    /// </summary>
    internal abstract void PrepareWait(TimeProvider time, TimeSpan timeout, GrainId grainId);

    /// <summary>
    /// Runs the grain method (on the activation's executor). True when it completed synchronously; the
    /// outcome is then recorded but not yet delivered: the activation calls <see cref="Deliver"/>.
    /// </summary>
    internal abstract bool Start(object grain);

    /// <summary>
    /// For a call whose <see cref="Start"/> returned false: reports completion to <see cref="Target"/>. Called
    /// only once the activation has booked the call as running, so a completion can never arrive before that.
    /// </summary>
    internal abstract void ObserveCompletion();

    /// <summary>Hands the recorded outcome to the caller, who may be waiting already.</summary>
    internal abstract void Deliver();

    /// <summary>
    /// Hands the outcome over on the caller's own thread before it could start waiting (the call ran inline
    /// inside Send): a plain write, no compare-exchange.
    /// </summary>
    internal abstract void DeliverBeforeAwait();

    /// <summary>Completes the call without running it.</summary>
    internal abstract void Fail(Exception error);

    /// <summary>Completes a call that ran on another silo with the result it sent back (JSON).</summary>
    internal abstract void CompleteRemote(ReadOnlySpan<byte> resultJson, JsonSerializerOptions options);

    /// <summary>Waits for the outcome of a call this silo ran for another one; the result as JSON, or what it threw.</summary>
    internal abstract Task<byte[]> SerializeResultAsync(JsonSerializerOptions options);

    private protected void MarkCompleted() => _completed = true;

    private protected void MarkAbandoned() => _abandoned = true;
}
