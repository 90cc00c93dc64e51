namespace Grid.Runtime;

/// <summary>Per-reference call options. A null timeout means the method's or the runtime's default.</summary>
public sealed record GrainCallOptions
{
    private readonly TimeSpan? _responseTimeout;

    public GrainCallOptions(TimeSpan? responseTimeout = null) => ResponseTimeout = responseTimeout;

    public static GrainCallOptions Default { get; } = new();

    /// <summary>The longest <see cref="ResponseTimeout"/>: a call waited on for longer is a bug, not a timeout.</summary>
    public static TimeSpan MaxResponseTimeout { get; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a call through the reference waits for its answer, from 1 ms (sent to another silo in whole milliseconds) to
    /// <see cref="MaxResponseTimeout"/>; it bounds the call at its owner too.
    /// </summary>
    public TimeSpan? ResponseTimeout
    {
        get => _responseTimeout;
        init
        {
            if (value is { } timeout && (timeout < TimeSpan.FromMilliseconds(1) || timeout > MaxResponseTimeout))
            {
                throw new ArgumentOutOfRangeException(nameof(ResponseTimeout), timeout, "A call's response timeout is from 1 ms to 1 day.");
            }

            _responseTimeout = value;
        }
    }
}
