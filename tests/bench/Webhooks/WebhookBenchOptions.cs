namespace Grid.Bench.Webhooks;

/// <summary>Options of <c>-- webhooks</c>.</summary>
public sealed record WebhookBenchOptions(TimeSpan Duration, int Rounds, int Clients, int Payments, TimeSpan Warmup, TimeSpan Profile)
{
    public const string Usage =
        "webhooks [--seconds 10] [--rounds 5] [--clients 64] [--payments 30000] [--warmup 2] [--profile 1]";

    /// <summary>
    /// Every round's deliveries are signed just before it starts; a round must end well within the 300 s the
    /// gateway accepts a signature for, or its last deliveries would be refused as stale.
    /// </summary>
    public static readonly TimeSpan MaxRound = TimeSpan.FromSeconds(240);

    public static WebhookBenchOptions Parse(IReadOnlyList<string> args)
    {
        var arguments = new BenchArguments(args);
        var options = new WebhookBenchOptions(
            TimeSpan.FromSeconds(arguments.Int("seconds", 10)),
            arguments.Int("rounds", 5),
            arguments.Int("clients", 64),
            arguments.Int("payments", 30_000, min: 10),
            TimeSpan.FromSeconds(arguments.Int("warmup", 2, min: 0)),
            TimeSpan.FromSeconds(arguments.Int("profile", 1, min: 0)));
        arguments.EnsureAllTaken();
        if (options.Duration / options.Rounds > MaxRound || options.Warmup > MaxRound || options.Profile > MaxRound)
        {
            throw new ArgumentException($"A round (--seconds / --rounds, --warmup, --profile) must be at most {MaxRound.TotalSeconds:0} s: its deliveries are signed when it starts.");
        }

        return options;
    }
}
