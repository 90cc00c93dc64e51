using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Dashboard;

/// <summary>
/// The dashboard of one silo in a cluster shows every silo in its view, each asked for its own counters over the
/// cluster port, follows journal entries written on another silo, and shows a silo that stopped answering as
/// unreachable while it is still in the view.
/// </summary>
public sealed class DashboardClusterTests
{
    private const string AdminKey = "dashboard-cluster-admin-key-0123456789";
    private const string ClusterSecret = "dashboard-cluster-secret-0123456789abcdef";

    // The suspect timeout is long enough that a killed silo stays in the view while the test looks at it.
    private static Dictionary<string, string> Settings(PostgresTestDatabase database, string name) =>
        new(ClusterViewApi.ClusterSettings(database, name, AdminKey, ClusterSecret, TimeSpan.FromSeconds(20)))
        {
            ["Grid__Dashboard__SampleIntervalMs"] = "100",
        };

    [Fact]
    public async Task Every_silo_in_the_view_is_shown_with_its_own_counters_and_one_that_stops_answering_is_unreachable()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        await using var a = SiloProcess.Start(directory.Path, Settings(database, "a"));
        await using var b = SiloProcess.Start(directory.Path, Settings(database, "b"));
        await ClusterViewApi.ReadyAndSettledAsync(AdminKey, "a,b", a, b);
        var onB = await AccountOwnedByAsync(a, "b");
        var api = new LedgerApi(a.Http, AdminKey);
        await api.CreateAccountAsync(onB);

        var silos = (await SnapshotAsync(a)).GetProperty("current").GetProperty("silos").EnumerateArray().ToArray();

        Assert.Equal(["a", "b"], silos.Select(s => s.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(silos, s => Assert.Equal("active", s.GetProperty("status").GetString()));
        var remote = silos.Single(s => s.GetProperty("name").GetString() == "b");
        Assert.False(remote.GetProperty("self").GetBoolean());
        Assert.True(remote.GetProperty("activations").GetInt64() >= 1, "b's own reading counts the account it activated");
        Assert.True(remote.GetProperty("memoryBytes").GetInt64() > 0);

        await using (var events = await DashboardEvents.OpenAsync(a.Http, AdminKey))
        {
            await events.FrameWhereAsync(_ => true, TimeSpan.FromSeconds(10)); // the first frame: not what is timed
            await api.DepositAsync(onB, "cluster-dash-1", 777);
            var (_, _, latency) = await events.FrameWithEntryAsync(onB, 777); // made at b, shown by a
            Assert.True(latency < TimeSpan.FromSeconds(3), $"the entry reached a's stream {latency} after b made it");
        }

        await b.KillAsync();

        await Eventually.TrueAsync(
            async () => (await SnapshotAsync(a)).GetProperty("current").GetProperty("silos").EnumerateArray()
                .Any(s => s.GetProperty("name").GetString() == "b" && s.GetProperty("status").GetString() == "unreachable"),
            "a shows the killed b as unreachable while b is still in its view",
            TimeSpan.FromSeconds(30));
    }

    private static async Task<JsonElement> SnapshotAsync(SiloProcess silo)
    {
        var answer = await new LedgerApi(silo.Http, AdminKey).GetAsync("/dashboard/snapshot");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        return answer.Json;
    }

    private static Task<string> AccountOwnedByAsync(SiloProcess asking, string owner) =>
        ClusterViewApi.AccountOwnedByAsync(asking, owner, AdminKey, "dash-");
}
