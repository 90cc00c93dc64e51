using System.Diagnostics;
using System.Net;
using Grid.Gateway.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Grid.Gateway.Tests.Sessions;

/// <summary>
/// The silo is killed (SIGKILL) while a report that crossed 100 checkpoints is being paid out (300 ledger steps, one
/// after another), then restarted on the same store: the session finishes its payouts, and every step is in its
/// account's journal exactly once. A trigger in the store refuses the host's sixth payout, so the kill lands part
/// way through on any machine (racing the payouts against a poll finished them all first on a busy one).
/// </summary>
public sealed class SessionPayoutCrashTests : IDisposable
{
    private const string AdminKey = "session-crash-admin-key-0123456789";
    private const int Checkpoints = 100;
    private const int HostPayoutsBeforeKill = 5;
    private const string CutTrigger = "test_cut_host_payouts";

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
        bool reportSettled;
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

            // The host's journal holds its opening, then its payouts: the trigger refuses any entry past the fifth payout.
            await ExecuteAsync(
                $"CREATE TRIGGER {CutTrigger} BEFORE INSERT ON journal " +
                $"WHEN NEW.account_id = '{host}' AND (SELECT count(*) FROM journal WHERE account_id = '{host}') > {HostPayoutsBeforeKill} " +
                "BEGIN SELECT RAISE(ABORT, 'payout cut by the test'); END");

            // One report crosses 100 checkpoints of one unit: 100 x (capture 10, host 9, treasury 1).
            using var killed = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            var report = new LedgerApi(killed, AdminKey).UsageAsync(id, "big-report", Checkpoints);
            var watch = Stopwatch.StartNew();
            do
            {
                hostEntriesAtKill = (await api.EntriesAsync(host)).Count;
            }
            while (hostEntriesAtKill < HostPayoutsBeforeKill && watch.Elapsed < TimeSpan.FromSeconds(60));

            await silo.KillAsync();
            reportSettled = report.IsCompletedSuccessfully && (await report) is { IsSuccess: true } answer &&
                answer.Json.GetProperty("pendingLegs").GetInt32() == 0;
        }

        // Killed part way: some payouts done, not all (else this test would show nothing).
        Assert.False(reportSettled, "the report was paid out in full before the silo was killed");
        Assert.Equal(HostPayoutsBeforeKill, hostEntriesAtKill);
        await ExecuteAsync($"DROP TRIGGER {CutTrigger}");

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

    private async Task ExecuteAsync(string sql)
    {
        var path = Path.Combine(_directory.Combine("data"), "grid.db");
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose() => _directory.Dispose();
}
