using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Grid.Chain.Rpc.Transport;

/// <summary>
/// The pipeline around each JSON-RPC request: bounded retries of rate limits, unavailable nodes and timeouts,
/// with exponential backoff and jitter (or the provider's Retry-After, capped at
/// <see cref="EthereumRpcOptions.MaxDelay"/>), each attempt bounded by its own timeout. Delays and timeouts
/// run on the given <see cref="TimeProvider"/>. Nothing else is retried: a range too large, a rejected call or
/// a malformed answer would only come back the same.
/// </summary>
internal static class RpcResiliencePipeline
{
    public static ResiliencePipeline Create(EthereumRpcOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = new PredicateBuilder()
                    .Handle<ChainRpcException>(e => e.IsRetryable)
                    .Handle<TimeoutRejectedException>(),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is ChainRpcException { RetryAfter: { } requested }
                        ? requested < options.MaxDelay ? requested : options.MaxDelay
                        : (TimeSpan?)null),
            });
        }

        // Added after the retry, so it sits inside it: the timeout bounds each attempt, not the whole call.
        builder.AddTimeout(options.RequestTimeout);
        return builder.Build();
    }
}
