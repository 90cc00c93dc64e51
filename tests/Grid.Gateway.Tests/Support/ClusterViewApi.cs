using System.Net;
using System.Text.Json;
using Grid.Runtime;
using Grid.Runtime.Membership;

namespace Grid.Gateway.Tests.Support;

/// <summary>GET /v1/cluster on a silo process, with an admin key (asserts 200), and what tests read from it.</summary>
public static class ClusterViewApi
{
    public static async Task<JsonDocument> GetAsync(SiloProcess silo, string adminKey)
    {
        ArgumentNullException.ThrowIfNull(silo);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/cluster");
        request.Headers.Authorization = new("Bearer", adminKey);
        using var response = await silo.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The names of the silos in <paramref name="silo"/>'s view, sorted and comma-separated.</summary>
    public static async Task<string> NamesAsync(SiloProcess silo, string adminKey)
    {
        using var view = await GetAsync(silo, adminKey);
        return string.Join(",", view.RootElement.GetProperty("silos").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    /// <summary>Waits until every silo is ready and each one's view names exactly <paramref name="names"/> (sorted, comma-separated).</summary>
    public static async Task ReadyAndSettledAsync(string adminKey, string names, params SiloProcess[] silos)
    {
        await Task.WhenAll(silos.Select(s => s.WaitReadyAsync()));
        await Eventually.TrueAsync(
            async () => (await Task.WhenAll(silos.Select(s => NamesAsync(s, adminKey)))).All(n => n == names), $"every silo's view is {names}");
    }

    /// <summary>
    /// An account id (<paramref name="prefix"/> and a number) that the silo named <paramref name="owner"/> owns in the view
    /// <paramref name="asking"/> reports: rendezvous placement, computed here too.
    /// </summary>
    public static async Task<string> AccountOwnedByAsync(SiloProcess asking, string owner, string adminKey, string prefix)
    {
        using var cluster = await GetAsync(asking, adminKey);
        var now = DateTimeOffset.UtcNow;
        var rows = cluster.RootElement.GetProperty("silos").EnumerateArray()
            .Select(s => new MembershipEntry(s.GetProperty("id").GetString()!, s.GetProperty("name").GetString()!, s.GetProperty("endpoint").GetString()!, now, now, SiloStatus.Active))
            .ToArray();
        var view = MembershipView.From(rows, now, TimeSpan.FromMinutes(1));
        return Enumerable.Range(0, 1_000).Select(i => $"{prefix}{i}").First(id => view.OwnerOf(new GrainId("account", id))!.Name == owner);
    }

    /// <summary>The settings of a clustered silo on <paramref name="database"/> with fast heartbeats, its cluster port on a free port.</summary>
    public static Dictionary<string, string> ClusterSettings(PostgresTestDatabase database, string name, string adminKey, string clusterSecret, TimeSpan suspectTimeout) => new()
    {
        ["Grid__Auth__AdminKey"] = adminKey,
        ["Grid__Storage__Provider"] = "postgres",
        ["Grid__Storage__ConnectionString"] = database.ConnectionString,
        ["Grid__Cluster__Enabled"] = "true",
        ["Grid__Cluster__SiloName"] = name,
        ["Grid__Cluster__Endpoint"] = $"http://127.0.0.1:{SiloProcess.FreePort()}",
        ["Grid__Cluster__Secret"] = clusterSecret,
        ["Grid__Cluster__HeartbeatPeriod"] = "00:00:00.250",
        ["Grid__Cluster__SuspectTimeout"] = suspectTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };
}
