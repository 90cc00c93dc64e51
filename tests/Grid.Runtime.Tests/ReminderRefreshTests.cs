using Grid.Runtime.Reminders;
using Grid.Runtime.Tests.Grains;
using Grid.Runtime.Tests.Support;
using Grid.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Grid.Runtime.Tests;

/// <summary>
/// Clustered silos read the reminder table again every refresh period. A read that began before a local change is older
/// news than the change: it must not bring back a reminder unregistered meanwhile.
/// </summary>
public sealed class ReminderRefreshTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task A_refresh_read_before_an_unregister_does_not_bring_the_reminder_back()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: clock, storage: new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = _directory.Path });
        var table = new ReadHeldTable(silo.Get<IReminderTable>());
        using var reminders = new ReminderService(silo.Runtime, table, clock, NullLogger.Instance, refreshPeriod: TimeSpan.FromHours(1));
        await reminders.StartAsync(CancellationToken.None);
        var grain = silo.Grains.GetGrain<IReminderGrain>("refreshed").GetGrainId();
        await reminders.RegisterOrUpdateAsync(grain, "due", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), CancellationToken.None);

        var read = table.HoldNextRead();
        var refresh = reminders.RefreshAsync(CancellationToken.None);
        await read.WaitAsync(TimeSpan.FromSeconds(30)); // the read has the reminder
        clock.Advance(TimeSpan.FromSeconds(1));
        await reminders.UnregisterAsync(grain, "due", CancellationToken.None);
        table.Release();
        await refresh;

        clock.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(300);
        Assert.Empty(silo.Get<ReminderLog>().TicksOf(grain, "due"));
        Assert.DoesNotContain(await silo.Get<IReminderTable>().ReadAllAsync(CancellationToken.None), r => r.GrainId == grain);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>The real table, whose next read can be held after it has read.</summary>
    private sealed class ReadHeldTable(IReminderTable inner) : IReminderTable
    {
        private TaskCompletionSource? _read;
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task HoldNextRead()
        {
            _read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _read.Task;
        }

        public void Release() => _gate.TrySetResult();

        public async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken)
        {
            var entries = await inner.ReadAllAsync(cancellationToken);
            if (_read is { } read)
            {
                _read = null;
                read.TrySetResult();
                await _gate.Task.WaitAsync(cancellationToken);
            }

            return entries;
        }

        public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken) => inner.UpsertAsync(entry, cancellationToken);

        public Task<bool> DeleteAsync(GrainId grainId, string name, CancellationToken cancellationToken) => inner.DeleteAsync(grainId, name, cancellationToken);
    }
}
