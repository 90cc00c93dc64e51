using Grid.Runtime.Reminders;
using Grid.Runtime.Tests.Grains;
using Grid.Runtime.Tests.Support;
using Grid.Storage;
using Xunit;

namespace Grid.Runtime.Tests;

/// <summary>
/// Timers take delays up to about 49.7 days, yet a reminder may be due much later (a metered session's idle timeout may
/// be a year): it is registered all the same, and fires when its time comes. Past a thousand days it is refused.
/// </summary>
public sealed class LongReminderTests : IDisposable
{
    private static readonly TimeSpan Far = TimeSpan.FromDays(60);
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task A_reminder_due_months_ahead_is_registered_on_the_system_clock()
    {
        await using var silo = await TestSilo.StartAsync(storage: Storage("system"));
        await silo.Grains.GetGrain<IReminderGrain>("far").Arm("far", Far, Far);

        Assert.Contains(await silo.Get<IReminderTable>().ReadAllAsync(CancellationToken.None), r => r.Name == "far");
    }

    [Fact]
    public async Task A_reminder_due_months_ahead_fires_then_and_not_before()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: clock, storage: Storage("manual"));
        var grain = silo.Grains.GetGrain<IReminderGrain>("far");
        await grain.Arm("far", Far, Far);
        var log = silo.Get<ReminderLog>();

        for (var day = 1; day < Far.TotalDays; day++)
        {
            clock.Advance(TimeSpan.FromDays(1));
        }

        await Task.Delay(300);
        Assert.Empty(log.TicksOf(grain.GetGrainId(), "far"));
        clock.Advance(TimeSpan.FromDays(1));
        await Eventually.TrueAsync(() => log.TicksOf(grain.GetGrainId(), "far").Count == 1, "the reminder fired on its day");
    }

    [Theory]
    [InlineData(1, 1_001)]
    [InlineData(1_001, 1)]
    public async Task A_reminder_past_a_thousand_days_is_refused_and_nothing_is_stored(int dueDays, int periodDays)
    {
        // A period near TimeSpan.MaxValue would overflow its next due time on the timer's thread, ending the process on
        // every silo that loads the row.
        await using var silo = await TestSilo.StartAsync(storage: Storage($"huge-{dueDays}-{periodDays}"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => silo.Grains.GetGrain<IReminderGrain>("huge").Arm("huge", TimeSpan.FromDays(dueDays), TimeSpan.FromDays(periodDays)));

        Assert.DoesNotContain(await silo.Get<IReminderTable>().ReadAllAsync(CancellationToken.None), r => r.Name == "huge");
    }

    [Fact]
    public async Task A_stored_reminder_whose_next_due_time_no_date_holds_fires_once_and_the_silo_goes_on()
    {
        // Stored before registrations were bounded (or by hand): its next due time after this one overflows. Computed on
        // the timer's thread, that threw and ended the process, on every silo that loaded the row.
        var clock = new ManualTimeProvider();
        var storage = Storage("overflowing");
        GrainId huge;
        await using (var first = await TestSilo.StartAsync(time: clock, storage: storage))
        {
            huge = first.Grains.GetGrain<IReminderGrain>("huge").GetGrainId();
            await first.Get<IReminderTable>().UpsertAsync(
                new ReminderEntry(huge, "huge", clock.GetUtcNow().AddSeconds(1), TimeSpan.MaxValue / 2), CancellationToken.None);
        }

        await using var silo = await TestSilo.StartAsync(time: clock, storage: storage);
        var log = silo.Get<ReminderLog>();
        clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.TrueAsync(() => log.TicksOf(huge, "huge").Count == 1, "the stored reminder fired on its time");

        var other = silo.Grains.GetGrain<IReminderGrain>("other");
        await other.Arm("other", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => log.TicksOf(other.GetGrainId(), "other").Count == 1, "the silo's reminders go on");
        Assert.Single(log.TicksOf(huge, "huge"));
    }

    public void Dispose() => _directory.Dispose();

    private StorageOptions Storage(string name) => new() { Provider = StorageOptions.Sqlite, DataDirectory = _directory.Combine(name) };
}
