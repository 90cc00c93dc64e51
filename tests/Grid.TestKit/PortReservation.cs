using System.Collections.Concurrent;

namespace Grid.TestKit;

/// <summary>
/// Claims a loopback port for the life of this test process across every test process on the machine:
/// `dotnet test` runs the test assemblies side by side, and a port one of them found free could be picked
/// by another before its silo binds it (seen in CI as "address already in use"). The claim is an exclusive
/// lock on a file named after the port; the OS drops it when the process ends, however it ends.
/// </summary>
public static class PortReservation
{
    private static readonly string LockDirectory = Path.Combine(Path.GetTempPath(), "grid-test-ports");

    // Rooted so the finalizer never closes a handle (and drops its lock) while a silo may still use the port.
    private static readonly ConcurrentBag<FileStream> Held = [];

    /// <summary>The file whose lock is the claim on <paramref name="port"/>.</summary>
    public static string LockPath(int port) => Path.Combine(LockDirectory, $"{port}.lock");

    /// <summary>True when this process now holds <paramref name="port"/>; false when another claim has it.</summary>
    public static bool TryClaim(int port)
    {
        Directory.CreateDirectory(LockDirectory);
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix: one holder per port, this process included.
            Held.Add(new FileStream(LockPath(port), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            return true;
        }
        catch (Exception taken) when (taken is IOException or UnauthorizedAccessException)
        {
            return false; // held by another claim (or its lock file is another user's)
        }
    }
}
