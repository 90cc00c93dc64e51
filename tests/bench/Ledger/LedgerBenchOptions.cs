using System.Globalization;

namespace Grid.Bench.Ledger;

/// <summary>
/// Options of the ledger benchmark. <see cref="Rate"/> null means "half of each side's measured peak";
/// 0 means no open-loop phase; any other value is a fixed arrival rate in operations per second.
/// <see cref="Writers"/> is the silo-wide writer's concurrent transactions; null keeps the grid's default
/// (<c>--writers grid</c>, and what <c>auto</c> means on PostgreSQL).
/// </summary>
public sealed record LedgerBenchOptions(
    string Store,
    IReadOnlyList<string> Workloads,
    TimeSpan Duration,
    TimeSpan Warmup,
    int Rounds,
    int Clients,
    int Accounts,
    double? Rate,
    bool GridMerged,
    bool GridUnmerged,
    int? Writers,
    bool Announce)
{
    /// <summary>
    /// SQLite admits one writer at a time, so the grid runs one merged transaction at a time there, as the
    /// baseline queues its writers in the process: a second concurrent writer only waits in SQLite's busy
    /// handler, which the bundled e_sqlite3 2.0.x runs in whole-second sleeps.
    /// </summary>
    public const int SqliteWriters = 1;

    public const string Usage =
        "ledger [--store sqlite|postgres] [--workload uniform|hot|all] [--seconds 10] [--clients 64] [--rate auto|off|N] " +
        "[--merge both|on|off] [--writers auto|grid|N] [--rounds 5] [--warmup 2] [--accounts 10000] [--announce off|on]";

    public static LedgerBenchOptions Parse(IReadOnlyList<string> args)
    {
        var arguments = new BenchArguments(args);
        var store = arguments.Choice("store", "sqlite", "sqlite", "postgres");
        var workload = arguments.Choice("workload", "all", LedgerWorkload.Uniform, LedgerWorkload.Hot, "all");
        var seconds = arguments.Int("seconds", 10);
        var warmup = arguments.Int("warmup", 2, min: 0);
        var rounds = arguments.Int("rounds", 5);
        var clients = arguments.Int("clients", 64);
        var accounts = arguments.Int("accounts", 10_000);
        var rate = ParseRate(arguments.Text("rate", "auto"));
        var merge = arguments.Choice("merge", "both", "both", "on", "off");
        var writers = ParseWriters(arguments.Text("writers", "auto"), store);
        var announce = arguments.Choice("announce", "off", "off", "on") == "on";
        arguments.EnsureAllTaken();
        return new LedgerBenchOptions(
            store,
            workload == "all" ? [LedgerWorkload.Uniform, LedgerWorkload.Hot] : [workload],
            TimeSpan.FromSeconds(seconds),
            TimeSpan.FromSeconds(warmup),
            rounds,
            clients,
            accounts,
            rate,
            GridMerged: merge != "off",
            GridUnmerged: merge != "on",
            writers,
            announce);
    }

    private static int? ParseWriters(string value, string store) => value.ToLowerInvariant() switch
    {
        "auto" => store == "sqlite" ? SqliteWriters : null,
        "grid" => null,
        _ when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var writers) && writers > 0 => writers,
        _ => throw new ArgumentException($"--writers must be auto, grid or a positive number, got '{value}'."),
    };

    private static double? ParseRate(string value) => value.ToLowerInvariant() switch
    {
        "auto" => null,
        "off" => 0,
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 => rate,
        _ => throw new ArgumentException($"--rate must be auto, off or a positive number of operations per second, got '{value}'."),
    };
}
