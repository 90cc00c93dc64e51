using System.Diagnostics;
using System.Text;

namespace Grid.TestKit;

/// <summary>
/// Runs a script of tests/oracles under node and returns what it printed. The oracles (ethers, siwe, stripe) are
/// a required service of these tests: without node or without `npm ci` in tests/oracles the tests fail
/// with a message saying so, never skip, since a test that silently did not run would read as a pass.
/// </summary>
public static class NodeOracle
{
    /// <summary>Set by tests/run.sh to tests/oracles; without it the directory is found from the test assembly upwards.</summary>
    public const string OraclesVariable = "GRID_TEST_ORACLES";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly string[] DefaultPackages = ["ethers", "siwe"];

    /// <summary>Runs <c>node script args...</c> in the oracles directory and returns its standard output.</summary>
    public static Task<string> RunAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(script, arguments, DefaultPackages, standardInput: null, cancellationToken);

    /// <summary>
    /// Runs <c>node script args...</c> in the oracles directory, after checking that <paramref name="requiredPackages"/>
    /// are installed there, writes <paramref name="standardInput"/> (UTF-8) to its standard input when given (for inputs
    /// too large for a command line), and returns its standard output.
    /// </summary>
    public static async Task<string> RunAsync(
        string script,
        IEnumerable<string> arguments,
        IReadOnlyCollection<string> requiredPackages,
        string? standardInput,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requiredPackages);
        var directory = FindOraclesDirectory(requiredPackages);
        var node = FindNode();
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = standardInput is null ? null : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(directory, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {node}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            if (standardInput is not null)
            {
                try
                {
                    await process.StandardInput.WriteAsync(standardInput.AsMemory(), timeout.Token);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The script exited without reading all of it; its exit code and stderr below say why.
                }
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {Timeout}.");
        }

        var stdout = await output;
        var stderr = await errors;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited with {process.ExitCode}:\n{stderr}");
        }

        return stdout;
    }

    /// <summary>
    /// tests/oracles (<see cref="OraclesVariable"/>, else the first tests/oracles above the test assembly), after checking
    /// that <paramref name="requiredPackages"/> are installed in its node_modules; fails saying what to run when not.
    /// </summary>
    public static string FindOraclesDirectory(IReadOnlyCollection<string> requiredPackages)
    {
        var directory = Environment.GetEnvironmentVariable(OraclesVariable);
        if (string.IsNullOrWhiteSpace(directory))
        {
            directory = SearchUpwards(AppContext.BaseDirectory)
                ?? throw new InvalidOperationException(
                    $"tests/oracles was not found above {AppContext.BaseDirectory}; set {OraclesVariable} or run bash tests/run.sh.");
        }

        return RequirePackages(directory, requiredPackages);
    }

    /// <summary>Returns <paramref name="directory"/> if every one of <paramref name="requiredPackages"/> is installed in its node_modules; fails saying what to run when not.</summary>
    public static string RequirePackages(string directory, IReadOnlyCollection<string> requiredPackages)
    {
        ArgumentNullException.ThrowIfNull(requiredPackages);
        foreach (var package in requiredPackages)
        {
            if (!File.Exists(Path.Combine(directory, "node_modules", package, "package.json")))
            {
                throw new InvalidOperationException(
                    $"The npm oracle '{package}' is not installed in {directory}: run `npm ci` there, or bash tests/run.sh.");
            }
        }

        return directory;
    }

    private static string? SearchUpwards(string start)
    {
        for (var current = new DirectoryInfo(start); current is not null; current = current.Parent)
        {
            var candidate = Path.Combine(current.FullName, "tests", "oracles");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string FindNode()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in OperatingSystem.IsWindows() ? new[] { "node.exe" } : ["node"])
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException("node is not on PATH: the npm oracles (ethers, siwe, stripe) need Node.js; install it, then run bash tests/run.sh.");
    }
}
