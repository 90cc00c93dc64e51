namespace Grid.Bench;

/// <summary>Options of the runtime benchmark: --seconds, --warmup, --rounds, --callers, --keys.</summary>
public sealed record BenchOptions(TimeSpan Duration, TimeSpan Warmup, int Rounds, int Callers, int Keys)
{
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var arguments = new BenchArguments(args);
        var options = new BenchOptions(
            TimeSpan.FromSeconds(arguments.Int("seconds", 10)),
            TimeSpan.FromSeconds(arguments.Int("warmup", 2, min: 0)),
            arguments.Int("rounds", 10),
            arguments.Int("callers", 64),
            arguments.Int("keys", 1000));
        arguments.EnsureAllTaken();
        return options;
    }
}
