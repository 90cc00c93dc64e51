namespace Grid.Bench.Ledger;

/// <summary>
/// The machine's load averages (Linux /proc/loadavg), printed with the results: on a small machine that
/// others share, a busy neighbour moves every figure, and the reader should see when that happened.
/// </summary>
public static class MachineLoad
{
    private const string LoadAverage = "/proc/loadavg";

    public static string Describe()
    {
        if (!File.Exists(LoadAverage))
        {
            return "unknown";
        }

        var fields = File.ReadAllText(LoadAverage).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 3 ? $"{fields[0]} / {fields[1]} / {fields[2]} on {Environment.ProcessorCount} cores" : "unknown";
    }
}
