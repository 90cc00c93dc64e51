using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Grid.TestKit;

/// <summary>
/// The built silo (silo/bin/{configuration}/net10.0/Grid.Silo.dll) run as a child process on a free
/// loopback port: what `dotnet run --project silo` starts, minus the build. Output is captured for asserts.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const int SigInt = 2;
    private const int SigKill = 9;
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiloProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IReadOnlyList<string> Output => [.. _output];

    public bool HasExited => _process.HasExited;

    /// <summary>The silo's process id (e.g. to read its CPU time from /proc).</summary>
    public int ProcessId => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the silo with the given environment (Grid__... settings) in <paramref name="workingDirectory"/>.</summary>
    public static SiloProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        var address = new Uri($"http://127.0.0.1:{port ?? FreePort()}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(SiloAssemblyPath());
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(address.ToString().TrimEnd('/'));
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var silo = new SiloProcess(process, address);
        process.OutputDataReceived += (_, e) => silo.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until /health/ready answers 200; fails with the silo's output if it exits or takes too long.</summary>
    public async Task WaitReadyAsync(TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Silo exited with {_process.ExitCode} before it was ready:\n{string.Join('\n', Output)}");
            }

            try
            {
                using var response = await Http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Silo not ready in time:\n{string.Join('\n', Output)}");
    }

    /// <summary>Ctrl+C: a graceful stop.</summary>
    public Task<int> InterruptAsync(TimeSpan? within = null)
    {
        // A child inherits an ignored SIGINT (e.g. started as `cmd &` by a script without job control);
        // the silo would then never see Ctrl+C. Say so instead of timing out.
        if (IsSigIntIgnoredHere())
        {
            throw new InvalidOperationException("SIGINT is ignored in the test process, so the child silo ignores it too; run the tests from a shell with job control (bash tests/run.sh does).");
        }

        return SignalAndWaitAsync(SigInt, within);
    }

    /// <summary>SIGTERM, as systemd or Kubernetes send it: a graceful stop.</summary>
    public Task<int> TerminateAsync(TimeSpan? within = null) => SignalAndWaitAsync(SigTerm, within);

    /// <summary>SIGKILL: a crash, nothing runs on the way out.</summary>
    public Task<int> KillAsync() => SignalAndWaitAsync(SigKill, null);

    public async Task<int> WaitForExitAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        Http.Dispose();
        _process.Dispose();
    }

    /// <summary>
    /// A port free now, picked at random below Linux's ephemeral range (32768 and up): a port the OS handed out
    /// for listening could be handed out again as the local end of any outgoing connection before the silo binds it.
    /// The port stays claimed for this test process (<see cref="PortReservation"/>), so no other test picks it.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            if (!PortReservation.TryClaim(port))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("No free port found between 20000 and 32000 in 200 tries.");
    }

    /// <summary>The silo built in the same configuration as the running tests.</summary>
    public static string SiloAssemblyPath()
    {
        var testOutput = AppContext.BaseDirectory;
        var configuration = testOutput.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = new DirectoryInfo(testOutput);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Grid.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"Grid.sln not found above {testOutput}.");
        }

        var path = Path.Combine(root.FullName, "silo", "bin", configuration, "net10.0", "Grid.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The silo is not built ({path}); build Grid.sln first.", path);
    }

    private static bool IsSigIntIgnoredHere()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (SigInt - 1))) != 0;
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private async Task<int> SignalAndWaitAsync(int signal, TimeSpan? within)
    {
        if (!_process.HasExited && Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        return await WaitForExitAsync(within);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
