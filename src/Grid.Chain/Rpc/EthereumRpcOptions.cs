namespace Grid.Chain.Rpc;

/// <summary>How an <see cref="EthereumRpcClient"/> retries and bounds its calls.</summary>
public sealed class EthereumRpcOptions
{
    /// <summary>Attempts per call, the first included; 1 means no retries.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The median delay before the first retry; later ones grow exponentially, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>No delay between attempts is longer than this, a provider's Retry-After included.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt (send, and read the whole answer) may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most calls in one batched HTTP request; longer lists are split.</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Throws <see cref="ArgumentException"/> naming every setting that is out of range.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (MaxAttempts is < 1 or > 100)
        {
            problems.Add("MaxAttempts must be between 1 and 100");
        }

        if (BaseDelay < TimeSpan.Zero || BaseDelay > TimeSpan.FromMinutes(1))
        {
            problems.Add("BaseDelay must be between 0 and one minute");
        }

        if (MaxDelay < BaseDelay || MaxDelay > TimeSpan.FromHours(1))
        {
            problems.Add("MaxDelay must be at least BaseDelay and at most one hour");
        }

        // Polly's timeout strategy takes 10 ms to one day.
        if (RequestTimeout < TimeSpan.FromMilliseconds(10) || RequestTimeout > TimeSpan.FromHours(1))
        {
            problems.Add("RequestTimeout must be between 10 ms and one hour");
        }

        if (MaxBatchSize is < 1 or > 10_000)
        {
            problems.Add("MaxBatchSize must be between 1 and 10000");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid Ethereum RPC options: " + string.Join("; ", problems) + ".");
        }
    }

    internal EthereumRpcOptions Copy() => new()
    {
        MaxAttempts = MaxAttempts,
        BaseDelay = BaseDelay,
        MaxDelay = MaxDelay,
        RequestTimeout = RequestTimeout,
        MaxBatchSize = MaxBatchSize,
    };
}
