namespace Grid.Bench.Casts;

/// <summary>
/// Options of the casts benchmark: every cast holds <see cref="Quote"/> plus <see cref="BufferPercent"/> (rounded
/// up) and is completed at a random price from 1 to that hold. <see cref="GridLedgerSide"/> adds a side that runs
/// the same hold and capture on the grid's account grains without a cast grain.
/// </summary>
public sealed record CastBenchOptions(
    string Store,
    TimeSpan Duration,
    TimeSpan Warmup,
    int Rounds,
    int Clients,
    int Accounts,
    long Quote,
    int BufferPercent,
    bool GridLedgerSide)
{
    public const string Usage =
        "casts [--store postgres|sqlite] [--seconds 10] [--clients 64] [--rounds 5] [--warmup 2] [--accounts 10000] [--quote 100] [--buffer 20] [--ledger on|off]";

    public static CastBenchOptions Parse(IReadOnlyList<string> args)
    {
        var arguments = new BenchArguments(args);
        var store = arguments.Choice("store", "postgres", "postgres", "sqlite");
        var seconds = arguments.Int("seconds", 10);
        var warmup = arguments.Int("warmup", 2, min: 0);
        var rounds = arguments.Int("rounds", 5);
        var clients = arguments.Int("clients", 64);
        var accounts = arguments.Int("accounts", 10_000);
        var quote = arguments.Int("quote", 100);
        var buffer = arguments.Int("buffer", 20, min: 0);
        var ledger = arguments.Choice("ledger", "on", "on", "off") == "on";
        arguments.EnsureAllTaken();
        return new CastBenchOptions(
            store, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmup), rounds, clients, accounts, quote, buffer, ledger);
    }
}
