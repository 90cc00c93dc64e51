using System.Diagnostics;
using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Sessions;

/// <summary>
/// The silo is killed (SIGKILL) while a report that crossed 100 checkpoints is being paid out (300 ledger steps, one
/// after another), then restarted on the same store: the session finishes its payouts, and every step is in its
/// account's journal exactly once.
/// </summary>
public sealed class SessionPayoutCrashTests : IDisposable
{
    private const string AdminKey = "session-crash-admin-key-0123456789";
    private const int Checkpoints = 100;

    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task A_silo_killed_between_payout_steps_does_every_step_exactly_once_after_restart()
    {
        var environment = new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__DataDirectory"] = _directory.Combine("data"),
            ["Grid__Sessions__TreasuryAccountId"] = "crash-treasury",
            ["Grid__Sessions__RetryPeriod"] = "00:00:02",
        };
        const string user = "crash-user";
        const string host = "crash-host";
        const string id = "crash-session";
        bool reportAnswered;
        int hostEntriesAtKill;
        await using (var silo = SiloProcess.Start(_directory.Path, environment))
        {
            await silo.WaitReadyAsync();
            var api = new LedgerApi(silo.Http, AdminKey);
            await api.CreateAccountAsync(user);
            await api.CreateAccountAsync(host);
            await api.DepositAsync(user, "money-in", 50_000);
            (await api.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 20_000, pricePerUnit = 10, checkpointUnits = 1 }))
                .Expect(HttpStatusCode.Created);

            // One report crosses 100 checkpoints of one unit: 100 x (capture 10, host 9, treasury 1).
            using var killed = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            var report = new LedgerApi(killed, AdminKey).UsageAsync(id, "big-report", Checkpoints);
            var watch = Stopwatch.StartNew();
            do
            {
                hostEntriesAtKill = (await api.EntriesAsync(host)).Count;
            }
            while (hostEntriesAtKill < 5 && !report.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(60));

            await silo.KillAsync();
            reportAnswered = report.IsCompletedSuccessfully && (await report).IsSuccess;
        }

        // Killed part way: some payouts done, not all (else this test would show nothing).
        Assert.False(reportAnswered, "the report was paid out in full before the silo was killed");
        Assert.InRange(hostEntriesAtKill, 5, Checkpoints - 1);

        await using (var silo = SiloProcess.Start(_directory.Path, environment))
        {
            await silo.WaitReadyAsync();
            var api = new LedgerApi(silo.Http, AdminKey);

            // Activation (here by the read) and the reminder finish the steps left.
            var watch = Stopwatch.StartNew();
            System.Text.Json.JsonElement session;
            do
            {
                session = (await api.GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
                if (session.GetProperty("pendingLegs").GetInt32() == 0)
                {
                    break;
                }

                await Task.Delay(200);
            }
            while (watch.Elapsed < TimeSpan.FromSeconds(60));

            Assert.Equal(0, session.GetProperty("pendingLegs").GetInt32());
            Assert.Equal(Checkpoints, session.GetProperty("checkpoints").GetInt32());

            // The report sent again counts nothing twice.
            var again = (await api.UsageAsync(id, "big-report", Checkpoints)).Expect(HttpStatusCode.OK);
            Assert.Equal(Checkpoints, again.GetProperty("units").GetInt64());
            var ended = (await api.EndAsync(id, "end")).Expect(HttpStatusCode.OK);
            Assert.Equal(1_000, ended.GetProperty("charged").GetInt64());
            Assert.Equal(19_000, ended.GetProperty("released").GetInt64());

            var expected = Enumerable.Range(1, Checkpoints).ToArray();
            var captures = (await api.EntriesAsync(user)).Where(e => e.Kind == "capture").ToArray();
            Assert.Equal(
                expected.Select(n => ($"session:{id}:cp:{n}:capture", 10L)).Append(($"session:{id}:end:capture", 0L)),
                captures.Select(e => (e.OperationId, e.Amount)));
            Assert.Equal(expected.Select(n => ($"session:{id}:cp:{n}:host", 9L)), (await api.EntriesAsync(host)).Select(e => (e.OperationId, e.Amount)));
            Assert.Equal(
                expected.Select(n => ($"session:{id}:cp:{n}:treasury", 1L)),
                (await api.EntriesAsync("crash-treasury")).Where(e => e.Kind == "deposit").Select(e => (e.OperationId, e.Amount)));

            Assert.Equal((49_000, 0), await api.BalanceAsync(user));
            Assert.Equal((900, 0), await api.BalanceAsync(host));
            Assert.Equal((100, 0), await api.BalanceAsync("crash-treasury"));
        }
    }

    public void Dispose() => _directory.Dispose();
}
