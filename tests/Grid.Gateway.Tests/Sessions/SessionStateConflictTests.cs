using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Sessions;

/// <summary>
/// Two silos on one store, each with an activation of the same session (what a cluster change can leave for a moment):
/// the one whose state the other wrote meanwhile refuses with 503 <c>unavailable</c> (retry with the same operation id),
/// never a 500 that a client could take for "not done" and send again under a new id.
/// </summary>
public sealed class SessionStateConflictTests : IDisposable
{
    private const string AdminKey = "session-conflict-admin-key-0123456789";

    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task A_report_to_an_activation_whose_state_another_wrote_is_503_and_its_retry_counts_once()
    {
        var environment = new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__DataDirectory"] = _directory.Combine("data"),
        };
        await using var first = SiloProcess.Start(_directory.Path, environment);
        await first.WaitReadyAsync();
        var a = new LedgerApi(first.Http, AdminKey);
        await a.CreateAccountAsync("payer");
        await a.CreateAccountAsync("host");
        await a.DepositAsync("payer", "money-in", 10_000);
        (await a.StartAsync(new { operationId = "conflict", accountId = "payer", hostAccountId = "host", deposit = 1_000, pricePerUnit = 1, checkpointUnits = 500 }))
            .Expect(HttpStatusCode.Created);

        await using var second = SiloProcess.Start(_directory.Path, environment);
        await second.WaitReadyAsync();
        var b = new LedgerApi(second.Http, AdminKey);
        (await b.GetAsync("/v1/sessions/conflict")).Expect(HttpStatusCode.OK); // the second silo's activation reads it now

        (await a.UsageAsync("conflict", "u1", 10)).Expect(HttpStatusCode.OK); // the first writes it after
        var refused = await b.UsageAsync("conflict", "u2", 20);
        Assert.True(refused.Status == HttpStatusCode.ServiceUnavailable, refused.ToString());
        Assert.Equal("unavailable", refused.Code);

        // The stale activation went away; the retry with the same id reads the store and counts once.
        Assert.Equal(30, (await b.UsageAsync("conflict", "u2", 20)).Expect(HttpStatusCode.OK).GetProperty("units").GetInt64());
        Assert.Equal(30, (await b.UsageAsync("conflict", "u2", 20)).Expect(HttpStatusCode.OK).GetProperty("units").GetInt64());
    }

    public void Dispose() => _directory.Dispose();
}
