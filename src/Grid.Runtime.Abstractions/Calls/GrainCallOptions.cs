namespace Grid.Runtime;

/// <summary>Per-reference call options. A null timeout means the method's or the runtime's default.</summary>
public sealed record GrainCallOptions
{
    private readonly TimeSpan? _responseTimeout;

    public GrainCallOptions(TimeSpan? responseTimeout = null) => ResponseTimeout = responseTimeout;

    public static GrainCallOptions Default { get; } = new();

    /// <summary>How long a call through the reference waits for its answer; positive and finite (it bounds the call at its owner too).</summary>
    public TimeSpan? ResponseTimeout
    {
        get => _responseTimeout;
        init
        {
            if (value is { } timeout && (timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan))
            {
                throw new ArgumentOutOfRangeException(nameof(ResponseTimeout), timeout, "A call's response timeout is positive and finite.");
            }

            _responseTimeout = value;
        }
    }
}
