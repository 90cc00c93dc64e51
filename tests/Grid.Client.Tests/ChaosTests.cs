using System.Collections.Concurrent;
using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;
using Grid.Runtime;
using Grid.TestKit;
using Xunit;

namespace Grid.Client.Tests;

/// <summary>Silos killed and restarted every few seconds under client load, for a bounded time; no credit lost, doubled or invented.</summary>
public sealed class ChaosTests
{
    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(90);

    /// <summary>A loaded machine restarts silos slowly: the run goes on past <see cref="RunFor"/> until this many kills, up to <see cref="RunAtMost"/>.</summary>
    private const int MinKills = 6;

    private static readonly TimeSpan RunAtMost = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Random_kills_and_restarts_under_load_lose_double_and_invent_nothing()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await using var client = await GridClient.ConnectAsync(GridClientTests.Options(o => o.MembershipConnectionString = cluster.Database.ConnectionString));
        await Eventually.TrueAsync(() => client.View.Silos.Count == 3, "the client sees all three silos");
        const int Accounts = 16;
        for (var i = 0; i < Accounts; i++)
        {
            await client.GetGrain<IAccountGrain>($"chaos-{i}").Execute(new OpenAccount());
        }

        // What each operation came to, as the client saw it: applied (with its signed amount) or refused.
        var outcomes = new ConcurrentDictionary<string, (string Account, long Signed)>();
        var refused = new ConcurrentDictionary<string, byte>();
        var sent = new ConcurrentDictionary<string, byte>();
        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var run = System.Diagnostics.Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 6).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var account = $"chaos-{random.Next(Accounts)}";
                var operation = $"w{worker}-{n}";
                var amount = 1 + random.Next(20);
                LedgerCommand command = random.Next(3) == 0 ? new Debit(operation, amount) : new Deposit(operation, amount);
                sent[operation] = 0;
                // As an application would: the same operation again (same id) until it has an answer.
                for (var attempt = 0; attempt < 10; attempt++)
                {
                    try
                    {
                        await client.GetGrain<IAccountGrain>(account).Execute(command);
                        outcomes[operation] = (account, command is Debit ? -amount : amount);
                        break;
                    }
                    catch (LedgerException declined) when (declined.Code == LedgerErrorCodes.InsufficientFunds)
                    {
                        refused[operation] = 0;
                        break;
                    }
                    catch (Exception unanswered)
                    {
                        failures.Enqueue($"{operation}: {unanswered.GetType().Name}: {unanswered.Message}");
                    }
                }
            }
        })).ToArray();

        var chaos = new Random(42);
        var kills = 0;
        while ((run.Elapsed < RunFor || kills < MinKills) && run.Elapsed < RunAtMost)
        {
            await Task.Delay(TimeSpan.FromSeconds(2 + chaos.Next(3)));
            var victim = chaos.Next(3);
            await cluster.Silos[victim].Process.KillAsync();
            kills++;
            await Task.Delay(TimeSpan.FromSeconds(1 + chaos.Next(3)));
            await cluster.RestartAsync(victim);
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Assert.True(kills >= MinKills, $"only {kills} kills in {run.Elapsed}");
        Assert.True(outcomes.Count > 200, $"only {outcomes.Count} operations applied; failures: {string.Join(" | ", failures.Take(5))}");

        var journaled = new Dictionary<string, (string Account, long Signed)>();
        for (var i = 0; i < Accounts; i++)
        {
            var account = $"chaos-{i}";
            var entries = new List<JournalEntry>();
            for (long? after = 0; after is { } from;)
            {
                var page = await client.GetGrain<IAccountGrain>(account).GetJournal(from, 1_000);
                entries.AddRange(page.Entries);
                after = page.Next;
            }

            var available = 0L;
            foreach (var entry in entries.Where(e => e.Kind is JournalEntryKind.Deposit or JournalEntryKind.Debit))
            {
                var signed = entry.Kind == JournalEntryKind.Debit ? -entry.Amount : entry.Amount;
                Assert.True(journaled.TryAdd(entry.OperationId, (account, signed)), $"{entry.OperationId} journaled twice");
                available += signed;
                Assert.Equal(available, entry.AvailableAfter); // the balance follows the entries, never below zero
                Assert.True(entry.AvailableAfter >= 0);
            }

            Assert.Equal(available, (await client.GetGrain<IAccountGrain>(account).GetBalance()).Available);
        }

        Assert.All(outcomes, applied => Assert.Equal(applied.Value, journaled[applied.Key])); // nothing acknowledged is missing
        Assert.All(journaled.Keys, operation => Assert.True(sent.ContainsKey(operation), $"{operation} was invented"));
        Assert.All(refused.Keys, operation => Assert.False(journaled.ContainsKey(operation) && !outcomes.ContainsKey(operation), $"{operation} was refused yet applied"));
    }
}
