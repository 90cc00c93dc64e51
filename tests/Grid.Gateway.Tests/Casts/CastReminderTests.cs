using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;
using Grid.Runtime.Reminders;
using Grid.Storage;
using Grid.Storage.Stores;

namespace Grid.Gateway.Tests.Casts;

/// <summary>
/// A cast's timeout reminder lives exactly as long as the cast runs: stored by the start, removed by the end, and a
/// reminder left behind (its removal lost to a crash) removes itself when it fires after a restart, changing nothing.
/// </summary>
public sealed class CastReminderTests : IDisposable
{
    private const string AdminKey = "cast-reminder-admin-key-0123456789";
    private const string CastId = "reminder-cast";

    private readonly TemporaryDirectory _directory = new();

    private string DataDirectory => _directory.Combine("data");

    [Fact]
    public async Task A_reminder_left_behind_by_an_ended_cast_removes_itself_and_changes_nothing()
    {
        var environment = new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__DataDirectory"] = DataDirectory,
        };
        ReminderEntry timeout;
        JsonElement completed;
        await using (var silo = SiloProcess.Start(_directory.Path, environment))
        {
            await silo.WaitReadyAsync();
            var api = new LedgerApi(silo.Http, AdminKey);
            var account = await api.CreateAccountAsync("reminder-account");
            await api.DepositAsync(account, "money-in", 500);
            Assert.Equal(HttpStatusCode.Created, (await PostAsync(api, "/v1/casts", new { operationId = CastId, accountId = account, quote = 100, timeoutSeconds = 600 })).Status);
            timeout = Assert.Single(await CastRemindersAsync());
            Assert.Equal("cast-timeout", timeout.Name);

            var done = await PostAsync(api, $"/v1/casts/{CastId}/complete", new { operationId = "reminder-cast-done", price = 80 });
            Assert.Equal(HttpStatusCode.OK, done.Status);
            completed = done.Json;
            Assert.Empty(await CastRemindersAsync());
            await silo.InterruptAsync();
        }

        // As if the silo had died between the cast's last write and the reminder's removal.
        await WithDatabaseAsync(db => new SqlReminderTable(db).UpsertAsync(timeout with { StartAt = timeout.StartAt - TimeSpan.FromMinutes(20) }, CancellationToken.None));

        await using (var silo = SiloProcess.Start(_directory.Path, environment))
        {
            await silo.WaitReadyAsync();
            await Eventually.TrueAsync(async () => (await CastRemindersAsync()).Count == 0, "the stale cast reminder removed itself");
            var api = new LedgerApi(silo.Http, AdminKey);
            var cast = await api.GetAsync($"/v1/casts/{CastId}");
            Assert.Equal(HttpStatusCode.OK, cast.Status);
            Assert.Equal("completed", cast.Json.GetProperty("status").GetString());
            Assert.Equal(completed.GetProperty("charged").GetInt64(), cast.Json.GetProperty("charged").GetInt64());
            var journal = (await api.JournalAsync("reminder-account")).Select(e => e.GetProperty("kind").GetString()!).Where(k => k != "open").ToArray();
            Assert.Equal(["deposit", "hold", "capture"], journal);
        }
    }

    public void Dispose() => _directory.Dispose();

    private async Task<IReadOnlyList<ReminderEntry>> CastRemindersAsync()
    {
        IReadOnlyList<ReminderEntry> all = [];
        await WithDatabaseAsync(async db => all = await new SqlReminderTable(db).ReadAllAsync(CancellationToken.None));
        return all.Where(r => r.GrainId.Key == CastId).ToArray();
    }

    private async Task WithDatabaseAsync(Func<GridDatabase, Task> use)
    {
        await using var database = GridDatabase.Create(new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = DataDirectory });
        await use(database);
    }

    private static Task<ApiResponse> PostAsync(LedgerApi api, string path, object body) => api.PostJsonAsync(path, JsonSerializer.Serialize(body));
}
