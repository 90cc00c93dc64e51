using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Grid.Chain.TestKit.Rpc;
using Grid.TestKit;

namespace Grid.Chain.TestKit.Anvil;

/// <summary>
/// A real Anvil node (the npm @foundry-rs/anvil in tests/oracles) on a free 127.0.0.1 port, as a child process.
/// <see cref="StopAsync"/> then <see cref="StartAsync(CancellationToken)"/> take it down and bring it back on the same
/// port with the same chain: same blocks and hashes, receipts, logs, balances, and state at past blocks.
/// </summary>
/// <remarks>
/// How the chain survives: anvil runs with <c>--state FILE --preserve-historical-states</c>. <c>--state</c> loads FILE
/// at start if it exists and writes the chain to it on a graceful exit (SIGTERM), blocks and transactions included,
/// so block hashes do not change; with <c>--preserve-historical-states</c> the states at past blocks are written too,
/// so eth_call and eth_getBalance at an older block still work after a restart. A killed anvil (SIGKILL) writes
/// nothing, so the stop is a SIGTERM. The <c>anvil_dumpState</c> RPC is no substitute: it leaves the past states
/// out, and returns gzip that <c>--load-state</c> does not read. The chain id is not in the file; it comes from the
/// options on every start.
/// </remarks>
public sealed partial class AnvilNode : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int OutputLinesKept = 500;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PortRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly string _binary;
    private readonly TemporaryDirectory _directory = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TimeProvider _clock = TimeProvider.System;
    private Process? _process;
    private int? _port;

    private AnvilNode(AnvilOptions options, string binary)
    {
        Options = options;
        _binary = binary;
    }

    public AnvilOptions Options { get; }

    /// <summary>The port, fixed by the first start and kept by every restart.</summary>
    public int Port => _port ?? throw new InvalidOperationException("The node has not started yet.");

    public Uri RpcUrl => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The file the chain is written to on stop and read from on start.</summary>
    public string StatePath => _directory.Combine("state.json");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines anvil printed (it logs every RPC method it serves), for failure messages.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>Starts a node; fails, never skips, when the anvil binary is not installed.</summary>
    public static async Task<AnvilNode> StartAsync(AnvilOptions? options, CancellationToken cancellationToken)
    {
        options ??= AnvilOptions.Default;
        var node = new AnvilNode(options, AnvilBinary.Find(options.OraclesDirectory));
        try
        {
            await node.StartAsync(cancellationToken);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>Starts the node again after <see cref="StopAsync"/>, on the same port, with the chain it had.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The node is already running.");
        }

        var started = _clock.GetTimestamp();
        while (true)
        {
            var process = Launch(_port ?? 0, out var listening);
            using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var remaining = Options.StartTimeout - _clock.GetElapsedTime(started);
                var outcome = await Task.WhenAny(
                    listening.Task,
                    process.WaitForExitAsync(waiting.Token),
                    Task.Delay(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _clock, waiting.Token));
                await waiting.CancelAsync();
                if (outcome == listening.Task && !cancellationToken.IsCancellationRequested)
                {
                    _process = process;
                    _port = await listening.Task;
                    await WaitUntilAnsweringAsync(started, cancellationToken);
                    return;
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                await KillAsync(process);
                cancellationToken.ThrowIfCancellationRequested();
            }

            var exited = process.HasExited;
            await KillAsync(process);
            // A restart can find its port still held for a moment (or taken by someone else): try again until the start timeout.
            if (exited && _port is not null && _clock.GetElapsedTime(started) + PortRetryDelay < Options.StartTimeout)
            {
                await Task.Delay(PortRetryDelay, _clock, cancellationToken);
                continue;
            }

            throw new InvalidOperationException(
                $"anvil did not start{(exited ? " (it exited)" : $" within {Options.StartTimeout}")}; its output:\n{string.Join('\n', Output)}");
        }
    }

    /// <summary>Stops the node gracefully (SIGTERM), which writes the chain to <see cref="StatePath"/> for the next start.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("Stopping anvil gracefully needs SIGTERM, which this kit sends on Linux and macOS only.");
        }

        var before = File.Exists(StatePath) ? File.GetLastWriteTimeUtc(StatePath) : DateTime.MinValue;
        if (!process.HasExited && Kill(process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillAsync(process);
            _process = null;
            throw new TimeoutException($"anvil did not exit within {StopTimeout} of SIGTERM; killed. Its output:\n{string.Join('\n', Output)}");
        }

        process.Dispose();
        _process = null;
        if (!File.Exists(StatePath) || File.GetLastWriteTimeUtc(StatePath) <= before)
        {
            throw new InvalidOperationException($"anvil exited without writing its chain to {StatePath}; its output:\n{string.Join('\n', Output)}");
        }
    }

    /// <summary>Kills the node (no state written) and deletes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            await KillAsync(process);
            _process = null;
        }

        _directory.Dispose();
    }

    [GeneratedRegex(@"Listening on 127\.0\.0\.1:(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static async Task KillAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        finally
        {
            process.Dispose();
        }
    }

    private Process Launch(int port, out TaskCompletionSource<int> listening)
    {
        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory.Path,
        };
        string[] arguments =
        [
            "--host", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--chain-id", Options.ChainId.ToString(CultureInfo.InvariantCulture),
            "--state", StatePath,
            "--preserve-historical-states",
            // Anvil otherwise keeps state caches under ~/.foundry/anvil/tmp, and leaves them there when killed.
            "--cache-path", _directory.Combine("cache"),
            "--color", "never",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (Options.BlockTimeSeconds is { } blockTime)
        {
            start.ArgumentList.Add("--block-time");
            start.ArgumentList.Add(blockTime.ToString(CultureInfo.InvariantCulture));
        }

        if (Options.Hardfork is { } hardfork)
        {
            start.ArgumentList.Add("--hardfork");
            start.ArgumentList.Add(hardfork);
        }

        if (Options.PruneHistory)
        {
            start.ArgumentList.Add("--prune-history");
        }

        var announced = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listening = announced;
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            _output.Enqueue(line);
            while (_output.Count > OutputLinesKept && _output.TryDequeue(out string? _))
            {
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                announced.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        _output.Enqueue($"--- {_binary} {string.Join(' ', start.ArgumentList)}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // "Listening on" comes when the socket is bound; the first answer shows the loaded chain is being served.
    private async Task WaitUntilAnsweringAsync(long started, CancellationToken cancellationToken)
    {
        using var client = new AnvilClient(RpcUrl, _clock);
        while (true)
        {
            try
            {
                var chainId = await client.GetChainIdAsync(cancellationToken);
                if (chainId != Options.ChainId)
                {
                    throw new InvalidOperationException($"anvil on {RpcUrl} answers chain id {chainId}, not {Options.ChainId}.");
                }

                return;
            }
            catch (HttpRequestException) when (_clock.GetElapsedTime(started) < Options.StartTimeout && IsRunning)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _clock, cancellationToken);
            }
        }
    }
}
