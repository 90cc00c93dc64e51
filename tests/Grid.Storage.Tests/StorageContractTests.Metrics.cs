using System.Diagnostics.Metrics;
using Grid.Ledger.Persistence;
using Grid.Storage.Metrics;
using Grid.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>The ledger store's instruments, on every provider: entries appended, entries per transaction, commit time by outcome.</summary>
public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Ledger_append_batches_are_counted_and_timed_by_provider_and_outcome()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var measured = new List<(string Instrument, double Value, Dictionary<string, string> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();
        var store = new SqlLedgerStore(Database, new StorageMetrics(meters, TimeProvider.System));
        var provider = Database.Provider.ToString().ToLowerInvariant();

        await store.AppendAsync([Append("metered-a", 0, 3), Append("metered-b", 0, 2)], Ct); // one transaction, five entries
        await Assert.ThrowsAsync<LedgerConflictException>(() => store.AppendAsync([Append("metered-a", 1, 1)], Ct));

        lock (measured)
        {
            Assert.All(measured, m => Assert.Equal(provider, m.Tags["provider"]));
            Assert.Equal([5.0], measured.Where(m => m.Instrument == "grid.journal.appends").Select(m => m.Value));
            Assert.Equal([5.0], measured.Where(m => m.Instrument == "grid.journal.append.batch.size").Select(m => m.Value));
            var durations = measured.Where(m => m.Instrument == "grid.storage.append.duration").ToArray();
            Assert.Equal(["ok", "conflict"], durations.Select(d => d.Tags["outcome"]));
            Assert.All(durations, d => Assert.InRange(d.Value, 0, 30));
        }

        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var byName = new Dictionary<string, string>();
            foreach (var (key, tag) in tags)
            {
                byName[key] = (string)tag!;
            }

            lock (measured)
            {
                measured.Add((instrument.Name, value, byName));
            }
        }
    }
}
