using System.Globalization;

namespace Grid.Bench.Ledger;

/// <summary>
/// CPU time of a database server that runs on this machine (Linux /proc): its postmaster and every
/// process it started. Reads what the kernel accounts in clock ticks (1/100 s), so it suits runs of seconds.
/// </summary>
public sealed class ServerProcesses(int postmaster)
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux build this runs on

    /// <summary>The server whose backend has process id <paramref name="backend"/>, or null when it is not on this machine.</summary>
    public static ServerProcesses? OfBackend(int backend) =>
        Stat(backend) is { } stat ? new ServerProcesses(stat.Parent) : null;

    public TimeSpan ProcessorTime()
    {
        var ticks = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } stat && (pid == postmaster || stat.Parent == postmaster))
            {
                ticks += stat.Ticks;
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Parent pid and user + system ticks from /proc/[pid]/stat; null when the process is gone or unreadable.</summary>
    private static (int Parent, long Ticks)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }
}
