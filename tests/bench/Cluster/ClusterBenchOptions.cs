namespace Grid.Bench.Cluster;

/// <summary>Options of <c>-- cluster</c>.</summary>
public sealed record ClusterBenchOptions(TimeSpan Duration, int Rounds, int Callers, int Keys, TimeSpan Warmup, bool Ledger, int Accounts, int Clients)
{
    public const string Usage =
        "cluster [--seconds 10] [--rounds 5] [--callers 256] [--keys 1000] [--warmup 5] [--ledger on|off] [--accounts 10000] [--clients 64]";

    public static ClusterBenchOptions Parse(IReadOnlyList<string> args)
    {
        var arguments = new BenchArguments(args);
        var options = new ClusterBenchOptions(
            TimeSpan.FromSeconds(arguments.Int("seconds", 10)),
            arguments.Int("rounds", 5),
            arguments.Int("callers", 256),
            arguments.Int("keys", 1_000),
            TimeSpan.FromSeconds(arguments.Int("warmup", 5, min: 0)), // tiered JIT settles the HTTP/2 paths in a few seconds
            arguments.Choice("ledger", "on", "on", "off") == "on",
            arguments.Int("accounts", 10_000),
            arguments.Int("clients", 64));
        arguments.EnsureAllTaken();
        return options;
    }
}
