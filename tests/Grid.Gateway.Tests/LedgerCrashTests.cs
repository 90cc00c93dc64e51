using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;
using Grid.Ledger.Journal;
using Xunit.Abstractions;

namespace Grid.Gateway.Tests;

/// <summary>
/// The silo is killed (SIGKILL) under load and restarted on the same store. Every operation a client saw
/// acknowledged is in the journal exactly once with the content it was acknowledged with; nothing is in
/// the journal that no client sent; operations whose answer was lost in the crash, sent again with the
/// same operation id, are applied exactly once; the journal replays to the balances the silo reports.
/// </summary>
public sealed class LedgerCrashTests(ITestOutputHelper output)
{
    private const string AdminKey = "crash-test-admin-key-0123456789ab";
    private const int Accounts = 8;
    private const int Clients = 24;
    private const int AcknowledgedBeforeKill = 1_500;
    private const int MaxOperationsPerClient = 5_000;
    private const long Seed = 1_000_000;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Killed_silo_loses_no_acknowledged_operation_invents_none_and_applies_retries_once(string provider)
    {
        await using var store = await LedgerStore.CreateAsync(provider);
        var environment = store.SiloEnvironment(AdminKey);
        var accounts = Enumerable.Range(0, Accounts).Select(i => $"crash-{i}").ToArray();
        var sent = new ConcurrentDictionary<string, SentOperation>(StringComparer.Ordinal);

        await using (var silo = SiloProcess.Start(store.WorkingDirectory, environment))
        {
            await silo.WaitReadyAsync();
            var api = new LedgerApi(silo.Http, AdminKey);
            foreach (var account in accounts)
            {
                await api.CreateAccountAsync(account);
                await api.DepositAsync(account, "seed", Seed);
            }

            using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var load = new LedgerApi(http, AdminKey);
            using var stop = new CancellationTokenSource();
            var acknowledged = 0;
            var clients = Enumerable.Range(0, Clients)
                .Select(c => Task.Run(() => RunClientAsync(c, load, accounts, sent, () => Interlocked.Increment(ref acknowledged), stop.Token)))
                .ToArray();

            await Eventually.TrueAsync(
                () => Volatile.Read(ref acknowledged) >= AcknowledgedBeforeKill || clients.Any(t => t.IsCompleted),
                $"{AcknowledgedBeforeKill} acknowledged operations",
                TimeSpan.FromSeconds(120));
            Assert.All(clients.Where(t => t.IsCompleted), t => Assert.Fail($"a client stopped before the kill: {t.Exception}"));

            await silo.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60));
        }

        var operations = sent.Values.ToArray();
        var acked = operations.Where(o => o.Acknowledged).ToArray();
        var inFlight = operations.Where(o => o.InFlight).ToArray();
        var refused = operations.Where(o => o.Response is { IsSuccess: false }).ToArray();
        output.WriteLine($"{provider}: {operations.Length} sent, {acked.Length} acknowledged, {inFlight.Length} in flight at the kill, {refused.Length} refused");
        Assert.True(acked.Length >= AcknowledgedBeforeKill);
        Assert.NotEmpty(inFlight);
        Assert.All(refused, o => Assert.True(SentOperation.IsRefusal(o.Response!.Status), $"not a refusal: {o}"));

        await using (var silo = SiloProcess.Start(store.WorkingDirectory, environment))
        {
            await silo.WaitReadyAsync();
            var api = new LedgerApi(silo.Http, AdminKey);

            // Before any retry: what the journals hold after the crash.
            var afterCrash = await CheckJournalsAsync(store, api, accounts, sent);
            foreach (var operation in acked)
            {
                var entry = Assert.Single(afterCrash[operation.Account], e => e.GetProperty("operationId").GetString() == operation.OperationId);
                AssertAcknowledgedContent(operation, entry);
            }

            foreach (var operation in refused)
            {
                Assert.DoesNotContain(afterCrash[operation.Account], e => e.GetProperty("operationId").GetString() == operation.OperationId);
            }

            // The lost answers, asked for again with the same operation ids: a replay or a first application.
            var applied = 0;
            foreach (var operation in inFlight)
            {
                var before = afterCrash[operation.Account].SingleOrDefault(e => e.GetProperty("operationId").GetString() == operation.OperationId);
                var retry = await api.PostJsonAsync(operation.Path, operation.Body);
                Assert.True(retry.IsSuccess, $"retry of {operation} answered {retry}");
                operation.Response = retry;
                if (before.ValueKind == JsonValueKind.Object)
                {
                    AssertAcknowledgedContent(operation, before); // replayed: the original entry
                }
                else
                {
                    applied++;
                }
            }

            output.WriteLine($"{provider}: of {inFlight.Length} in flight, {inFlight.Length - applied} had been applied before the kill, {applied} were applied by the retry");
            var afterRetry = await CheckJournalsAsync(store, api, accounts, sent);
            foreach (var operation in operations.Where(o => o.Acknowledged))
            {
                var entry = Assert.Single(afterRetry[operation.Account], e => e.GetProperty("operationId").GetString() == operation.OperationId);
                AssertAcknowledgedContent(operation, entry);
            }

            Assert.Equal(0, await silo.TerminateAsync());
        }
    }

    /// <summary>
    /// For every account: the journal over HTTP equals the stored one, replays without a break to the
    /// balance GET answers and the stored snapshot holds, open holds match, and every entry's operation id
    /// was sent to that account by a client (or is the account's opening or seed).
    /// </summary>
    private static async Task<Dictionary<string, IReadOnlyList<JsonElement>>> CheckJournalsAsync(
        LedgerStore store, LedgerApi api, string[] accounts, ConcurrentDictionary<string, SentOperation> sent)
    {
        var journals = new Dictionary<string, IReadOnlyList<JsonElement>>(StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            var stored = await store.Store.ReadJournalAsync(account, 0, 1_000_000, CancellationToken.None);
            var overHttp = await api.JournalAsync(account);
            JournalAssert.Same(stored, overHttp);
            journals[account] = overHttp;

            foreach (var entry in stored.Skip(2))
            {
                Assert.True(
                    sent.TryGetValue(entry.OperationId, out var operation) && operation.Account == account,
                    $"{account} journal entry {entry.Sequence} ({JournalEntryKinds.Name(entry.Kind)}, operation {entry.OperationId}) was never sent to it");
                Assert.Equal(operation.Kind, JournalEntryKinds.Name(entry.Kind));
            }

            Assert.Equal(["~open", "seed"], stored.Take(2).Select(e => e.OperationId));
            var replayed = JournalAssert.Replay(stored);
            var view = await api.GetAsync($"/v1/accounts/{account}");
            var balance = view.Json.GetProperty("balance");
            Assert.Equal(replayed.Available, balance.GetProperty("available").GetInt64());
            Assert.Equal(replayed.Held, balance.GetProperty("held").GetInt64());
            Assert.Equal(replayed.Sequence, balance.GetProperty("sequence").GetInt64());
            var snapshot = await store.Store.LoadAsync(account, CancellationToken.None);
            Assert.Equal((replayed.Available, replayed.Held, replayed.Sequence), (snapshot!.Available, snapshot.Held, snapshot.Sequence));

            var holds = (await api.GetAsync($"/v1/accounts/{account}/holds")).Json.GetProperty("holds").EnumerateArray()
                .ToDictionary(h => h.GetProperty("id").GetString()!, h => h.GetProperty("amount").GetInt64() - h.GetProperty("captured").GetInt64());
            Assert.Equal(replayed.OpenHolds.OrderBy(h => h.Key, StringComparer.Ordinal), holds.OrderBy(h => h.Key, StringComparer.Ordinal));
        }

        return journals;
    }

    /// <summary>The journal entry says what the client was told.</summary>
    private static void AssertAcknowledgedContent(SentOperation operation, JsonElement entry)
    {
        if (operation.AcknowledgedEntry is { } acknowledged)
        {
            Assert.Equal(acknowledged.GetRawText(), entry.GetRawText());
            return;
        }

        // A new hold answers the hold: its id and amount are the entry's.
        var hold = operation.Response!.Json;
        Assert.Equal("hold", entry.GetProperty("kind").GetString());
        Assert.Equal(hold.GetProperty("id").GetString(), entry.GetProperty("holdId").GetString());
        Assert.Equal(hold.GetProperty("amount").GetInt64(), entry.GetProperty("amount").GetInt64());
        Assert.Equal(hold.GetProperty("reference").GetString(), entry.GetProperty("reference").GetString());
    }

    /// <summary>
    /// One client: deposits, debits, holds, and captures or voids of its own acknowledged holds, each with a
    /// new operation id, one at a time, until the silo stops answering.
    /// </summary>
    private static async Task RunClientAsync(
        int client, LedgerApi api, string[] accounts, ConcurrentDictionary<string, SentOperation> sent, Action acknowledged, CancellationToken stop)
    {
        var random = new Random(client);
        var holds = new List<(string Account, string Id, long Left)>();
        for (var n = 0; n < MaxOperationsPerClient && !stop.IsCancellationRequested; n++)
        {
            var operationId = $"c{client}-{n}";
            SentOperation operation;
            if (holds.Count > 0 && random.NextDouble() < 0.35)
            {
                var index = random.Next(holds.Count);
                var (account, holdId, left) = holds[index];
                var roll = random.NextDouble();
                if (roll < 0.3)
                {
                    operation = new SentOperation(account, operationId, "void", $"/v1/accounts/{account}/holds/{holdId}/void", Json(new { operationId }));
                    holds.RemoveAt(index);
                }
                else
                {
                    var amount = random.NextInt64(0, left + 1);
                    var final = roll < 0.7 || amount == left;
                    operation = new SentOperation(account, operationId, "capture", $"/v1/accounts/{account}/holds/{holdId}/capture", Json(new { operationId, amount, final }));
                    if (final)
                    {
                        holds.RemoveAt(index);
                    }
                    else
                    {
                        holds[index] = (account, holdId, left - amount);
                    }
                }
            }
            else
            {
                var account = accounts[random.Next(accounts.Length)];
                var roll = random.NextDouble();
                operation = roll switch
                {
                    < 0.35 => new SentOperation(account, operationId, "deposit", $"/v1/accounts/{account}/deposits",
                        Json(new { operationId, amount = random.Next(1, 1_000), metadata = new { client, n } })),
                    < 0.7 => new SentOperation(account, operationId, "debit", $"/v1/accounts/{account}/debits",
                        Json(new { operationId, amount = random.Next(1, 500), reason = $"job-{n}" })),
                    _ => new SentOperation(account, operationId, "hold", $"/v1/accounts/{account}/holds",
                        Json(new { operationId, amount = random.Next(1, 1_000), reference = $"cast-{client}-{n}" })),
                };
            }

            Assert.True(sent.TryAdd(operationId, operation));
            try
            {
                operation.Response = await api.PostJsonAsync(operation.Path, operation.Body, CancellationToken.None);
            }
            catch (Exception lost) when (lost is HttpRequestException or TaskCanceledException)
            {
                return; // the silo is gone: this one is in flight, and the client stops
            }

            if (operation.Acknowledged)
            {
                acknowledged();
                if (operation.Kind == "hold")
                {
                    var hold = operation.Response.Json;
                    holds.Add((operation.Account, hold.GetProperty("id").GetString()!, hold.GetProperty("amount").GetInt64()));
                }
            }
            else
            {
                // Before the kill nothing may fail but a refusal: the test's amounts never exceed the seed.
                Assert.Fail($"refused before the kill: {operation}");
            }
        }
    }

    private static string Json(object body) => JsonSerializer.Serialize(body);
}
