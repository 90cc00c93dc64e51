using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Grid.Stripe.Api.Retries;

/// <summary>
/// The resilience pipeline around each Stripe call: bounded retries with exponential backoff and jitter
/// (or Stripe's <c>Retry-After</c>), each attempt bounded by its own timeout. Delays and timeouts run on
/// the given <see cref="TimeProvider"/>.
/// </summary>
internal static partial class StripeResiliencePipeline
{
    public static ResiliencePipeline<HttpResponseMessage> Create(StripeClientOptions options, TimeProvider time, ILogger logger)
    {
        var rules = new StripeRetryRules(options, time);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(rules.ShouldRetry(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(rules.RequestedDelay(args.Outcome)),
                OnRetry = args =>
                {
                    var why = args.Outcome.Result is { } response
                        ? $"HTTP {(int)response.StatusCode}, request {StripeResponseHeaders.RequestId(response) ?? "unknown"}"
                        : args.Outcome.Exception?.GetType().Name ?? "unknown";
                    LogRetry(logger, args.Context.OperationKey, args.AttemptNumber + 1, why, args.RetryDelay);
                    return default;
                },
            });
        }

        // Added after the retry, so it sits inside it: the timeout bounds each attempt, not the whole call.
        builder.AddTimeout(options.AttemptTimeout);
        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe {Operation}: attempt {Attempt} failed ({Why}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, string? operation, int attempt, string why, TimeSpan delay);
}
