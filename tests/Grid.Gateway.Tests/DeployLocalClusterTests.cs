using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Grid.Gateway.Tests;

/// <summary>deploy/local/cluster.sh as the README uses it: start three silos, kill one, bring it back, stop.</summary>
public sealed class DeployLocalClusterTests
{
    private const string AdminKey = "deploy-test-admin-key-0123456789";

    [Fact]
    public async Task The_local_cluster_script_starts_kills_restarts_and_stops_silos()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var state = new TemporaryDirectory();
        var (gatewayBase, clusterBase) = (FreeRange(), FreeRange());
        var environment = new Dictionary<string, string>
        {
            ["GRID_LOCAL_RUN_DIR"] = state.Path,
            ["GRID_LOCAL_SILO_DLL"] = SiloProcess.SiloAssemblyPath(),
            ["GRID_LOCAL_POSTGRES"] = database.ConnectionString,
            ["GRID_LOCAL_GATEWAY_BASE"] = gatewayBase.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GRID_LOCAL_CLUSTER_BASE"] = clusterBase.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GRID_LOCAL_ADMIN_KEY"] = AdminKey,
            ["GRID_LOCAL_CLUSTER_SECRET"] = "deploy-test-cluster-secret-0123456789",
            ["GRID_LOCAL_HEARTBEAT_PERIOD"] = "00:00:00.250",
            ["GRID_LOCAL_SUSPECT_TIMEOUT"] = "00:00:02",
        };
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayBase + 1}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        try
        {
            await ScriptAsync(environment, "start", "3");
            await Eventually.TrueAsync(async () => await NamesAsync(http) == "silo-1,silo-2,silo-3", "silo-1 sees all three");

            await ScriptAsync(environment, "kill", "2");
            await Eventually.TrueAsync(async () => await NamesAsync(http) == "silo-1,silo-3", "silo-1 drops the killed silo", within: TimeSpan.FromSeconds(15));

            await ScriptAsync(environment, "start");
            await Eventually.TrueAsync(async () => await NamesAsync(http) == "silo-1,silo-2,silo-3", "silo-2 is back");
            Assert.Contains("silo-2", await ScriptAsync(environment, "status"));
        }
        finally
        {
            await ScriptAsync(environment, "stop");
        }

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/health/live"));
    }

    private static async Task<string> NamesAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/v1/cluster");
        response.EnsureSuccessStatusCode();
        using var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return string.Join(",", view.RootElement.GetProperty("silos").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    /// <summary>Runs the script; asserts exit code 0 within two minutes and returns its output.</summary>
    private static async Task<string> ScriptAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var script = Path.Combine(Path.GetDirectoryName(SiloProcess.SiloAssemblyPath())!, "..", "..", "..", "..", "deploy", "local", "cluster.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.GetFullPath(script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var text = await output + await errors;
        Assert.True(process.ExitCode == 0, $"cluster.sh {string.Join(' ', arguments)} exited {process.ExitCode}:\n{text}");
        return text;
    }

    /// <summary>
    /// A port base whose next three ports are free now and claimed for this test process (as
    /// <see cref="SiloProcess.FreePort"/> claims its ports), below Linux's ephemeral range.
    /// </summary>
    private static int FreeRange()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var candidate = Random.Shared.Next(20_000, 32_000);
            if (Enumerable.Range(1, 3).All(i => PortReservation.TryClaim(candidate + i) && IsFree(candidate + i)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No three free ports in a row were found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
