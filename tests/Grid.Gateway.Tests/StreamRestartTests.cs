using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>A stream resumed with Last-Event-ID after the silo restarted yields exactly the entries it missed, then new ones.</summary>
public sealed class StreamRestartTests
{
    private const string AdminKey = "stream-restart-admin-key-0123456789";

    [Fact]
    public async Task Last_event_id_resumes_across_a_silo_restart()
    {
        using var directory = new TemporaryDirectory();
        var environment = new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__DataDirectory"] = directory.Combine("data"),
        };

        long seen;
        await using (var first = SiloProcess.Start(directory.Path, environment))
        {
            await first.WaitReadyAsync();
            var api = new LedgerApi(first.Http, AdminKey);
            await api.CreateAccountAsync("restarted");
            for (var i = 0; i < 10; i++)
            {
                await api.DepositAsync("restarted", $"before-{i}", 1 + i);
            }

            seen = (await api.JournalAsync("restarted"))[5].GetProperty("sequence").GetInt64();
            Assert.Equal(0, await first.InterruptAsync());
        }

        await using var second = SiloProcess.Start(directory.Path, environment);
        await second.WaitReadyAsync();
        var again = new LedgerApi(second.Http, AdminKey);
        var expected = (await again.JournalAsync("restarted")).Select(e => e.GetProperty("sequence").GetInt64()).Where(s => s > seen).ToList();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts/restarted/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        request.Headers.Add("Last-Event-ID", seen.ToString(CultureInfo.InvariantCulture));
        using var response = await second.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var ids = new List<long>();
        while (ids.Count < expected.Count && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                ids.Add(long.Parse(line[4..], CultureInfo.InvariantCulture));
            }
        }

        Assert.Equal(expected, ids);
        await again.DepositAsync("restarted", "after-restart", 5);
        while (await reader.ReadLineAsync(timeout.Token) is { } line && !line.StartsWith("data: ", StringComparison.Ordinal))
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                Assert.Equal(expected[^1] + 1, long.Parse(line[4..], CultureInfo.InvariantCulture));
            }
        }
    }
}
