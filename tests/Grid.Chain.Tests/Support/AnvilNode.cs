using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Grid.TestKit;
using Xunit;

namespace Grid.Chain.Tests.Support;

/// <summary>
/// A fresh Anvil (a real Ethereum node, chain id 31337, dev accounts unlocked, a block per transaction) on a
/// free loopback port, killed on dispose. Its binary comes from the npm package in tests/oracles; without it
/// the tests fail, never skip, since a test that silently did not run would read as a pass.
/// </summary>
public sealed class AnvilNode : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Lock _outputLock = new();
    private readonly StringBuilder _output = new();
    private Process? _process;
    private Uri? _endpoint;
    private long _lastId;

    public Uri Endpoint => _endpoint ?? throw new InvalidOperationException("Anvil was not started.");

    public async Task InitializeAsync()
    {
        var binary = FindBinary();

        // The port is free when asked for but may be taken before Anvil binds it; then another one is tried.
        for (var attempt = 1; ; attempt++)
        {
            var port = Grid.TestKit.SiloProcess.FreePort();
            if (await TryStartAsync(binary, port))
            {
                return;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"Anvil ({binary}) did not start on a free port within {StartTimeout}:\n{Output()}");
            }
        }
    }

    /// <summary>A raw JSON-RPC call, for the methods the client under test does not have (anvil_*, eth_sendTransaction).</summary>
    public async Task<JsonNode?> RpcAsync(string method, params JsonNode?[] parameters)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _lastId),
            ["method"] = method,
            ["params"] = new JsonArray(parameters),
        };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(Endpoint, content);
        response.EnsureSuccessStatusCode();
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        if (answer["error"] is { } error)
        {
            throw new InvalidOperationException($"Anvil refused {method}: {error.ToJsonString()}");
        }

        return answer["result"];
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
    }

    private async Task<bool> TryStartAsync(string binary, int port)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await StopAsync();
                return false;
            }

            try
            {
                await RpcAsync("eth_chainId");
                return true;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        await StopAsync();
        return false;
    }

    private async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
        finally
        {
            process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_outputLock)
        {
            return _output.ToString();
        }
    }

    // The native binary itself rather than the npm launcher script, so that killing it kills the node.
    private static string FindBinary()
    {
        var oracles = FindOraclesDirectory();
        var os = OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
        var binary = Path.Combine(oracles, "node_modules", "@foundry-rs", $"anvil-{os}-{arch}", "bin", OperatingSystem.IsWindows() ? "anvil.exe" : "anvil");
        return File.Exists(binary)
            ? binary
            : throw new InvalidOperationException(
                $"Anvil is not installed: {binary} is missing. Run `npm ci` in {oracles}, or bash tests/run.sh.");
    }

    private static string FindOraclesDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(NodeOracle.OraclesVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        for (var current = new DirectoryInfo(AppContext.BaseDirectory); current is not null; current = current.Parent)
        {
            var candidate = Path.Combine(current.FullName, "tests", "oracles");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"tests/oracles was not found above {AppContext.BaseDirectory}; set {NodeOracle.OraclesVariable} or run bash tests/run.sh.");
    }
}
