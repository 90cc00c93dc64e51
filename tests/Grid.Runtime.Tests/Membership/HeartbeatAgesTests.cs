using Grid.Runtime.Membership;
using Grid.TestKit;
using Xunit;

namespace Grid.Runtime.Tests.Membership;

/// <summary>How old a heartbeat is, by the reader's clock: from when the reader saw it change, after a first sight by wall clocks.</summary>
public sealed class HeartbeatAgesTests
{
    private static readonly TimeSpan Suspect = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _time = new();

    private MembershipEntry Row(string id, DateTimeOffset heartbeat, SiloStatus status = SiloStatus.Active) =>
        new($"{id}-id", id, $"http://127.0.0.1/{id}", heartbeat, heartbeat, status);

    private static string[] Names(MembershipView view) => view.Silos.Select(s => s.Name).ToArray();

    [Fact]
    public void A_first_sight_is_aged_by_wall_clocks_and_then_by_the_readers_clock_from_the_last_change()
    {
        var ages = new HeartbeatAges(_time, Suspect);
        var written = _time.GetUtcNow() - TimeSpan.FromSeconds(3);
        Assert.Equal(["old"], Names(ages.ViewOf([Row("old", written)])));

        _time.Advance(TimeSpan.FromSeconds(2)); // 5 s since it was written: still in
        Assert.Equal(["old"], Names(ages.ViewOf([Row("old", written)])));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(ages.ViewOf([Row("old", written)]).Silos);

        // Any change is a beat, whatever the time it names (here one long past): fresh for a whole timeout again.
        var moved = written - TimeSpan.FromMinutes(10);
        Assert.Equal(["old"], Names(ages.ViewOf([Row("old", moved)])));
        _time.Advance(Suspect);
        Assert.Equal(["old"], Names(ages.ViewOf([Row("old", moved)])));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(ages.ViewOf([Row("old", moved)]).Silos);
    }

    [Fact]
    public void A_heartbeat_from_a_clock_ahead_counts_as_new_and_a_row_that_left_the_table_is_seen_afresh()
    {
        var ages = new HeartbeatAges(_time, Suspect);
        var ahead = _time.GetUtcNow() + TimeSpan.FromHours(1);
        Assert.Equal(["ahead"], Names(ages.ViewOf([Row("ahead", ahead)])));
        _time.Advance(Suspect + TimeSpan.FromMilliseconds(1));
        Assert.Empty(ages.ViewOf([Row("ahead", ahead)]).Silos); // not an hour more

        Assert.Empty(ages.ViewOf([]).Silos); // gone from the table: forgotten
        Assert.Equal(["ahead"], Names(ages.ViewOf([Row("ahead", ahead)]))); // back: a first sight again
    }

    [Fact]
    public void Only_active_rows_are_in_the_view_and_a_first_sight_long_past_is_out()
    {
        var ages = new HeartbeatAges(_time, Suspect);
        var now = _time.GetUtcNow();

        var view = ages.ViewOf([Row("b", now), Row("leaving", now, SiloStatus.Leaving), Row("dead", now, SiloStatus.Dead), Row("a", now), Row("stale", now - TimeSpan.FromDays(365))]);

        Assert.Equal(["a", "b"], Names(view));
        Assert.Equal(now, view.ComputedAt);
    }
}
