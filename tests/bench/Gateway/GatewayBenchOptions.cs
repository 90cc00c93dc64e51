namespace Grid.Bench.Gateway;

/// <summary>Options of <c>-- gateway</c>.</summary>
public sealed record GatewayBenchOptions(TimeSpan Duration, int Rounds, int Clients, int Accounts, TimeSpan Warmup, int Subscribers, int Deliveries)
{
    public const string Usage =
        "gateway [--seconds 10] [--rounds 5] [--clients 64] [--accounts 1000] [--warmup 5] [--subscribers 1000] [--deliveries 50]";

    public static GatewayBenchOptions Parse(IReadOnlyList<string> args)
    {
        var arguments = new BenchArguments(args);
        var options = new GatewayBenchOptions(
            TimeSpan.FromSeconds(arguments.Int("seconds", 10)),
            arguments.Int("rounds", 5),
            arguments.Int("clients", 64),
            arguments.Int("accounts", 1_000),
            TimeSpan.FromSeconds(arguments.Int("warmup", 5, min: 0)),
            arguments.Int("subscribers", 1_000),
            arguments.Int("deliveries", 50));
        arguments.EnsureAllTaken();
        return options;
    }
}
