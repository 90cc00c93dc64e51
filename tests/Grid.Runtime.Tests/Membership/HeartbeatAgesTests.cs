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
        Assert.Equal(["old"], Names(ages.ViewOf([Row("old", written)], _time.GetTimestamp())));

        _time.Advance(TimeSpan.FromSeconds(2)); // 5 s since it was written: still in
        Assert.Equal(["old"], Names(ages.ViewOf([Row("old", written)], _time.GetTimestamp())));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(ages.ViewOf([Row("old", written)], _time.GetTimestamp()).Silos);

        // Any change is a beat, whatever the time it names (here one long past): fresh for a whole timeout again.
        var moved = written - TimeSpan.FromMinutes(10);
        Assert.Equal(["old"], Names(ages.ViewOf([Row("old", moved)], _time.GetTimestamp())));
        _time.Advance(Suspect);
        Assert.Equal(["old"], Names(ages.ViewOf([Row("old", moved)], _time.GetTimestamp())));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(ages.ViewOf([Row("old", moved)], _time.GetTimestamp()).Silos);
    }

    [Fact]
    public void A_heartbeat_from_a_clock_ahead_counts_as_new_and_a_row_that_left_the_table_is_seen_afresh()
    {
        var ages = new HeartbeatAges(_time, Suspect);
        var ahead = _time.GetUtcNow() + TimeSpan.FromHours(1);
        Assert.Equal(["ahead"], Names(ages.ViewOf([Row("ahead", ahead)], _time.GetTimestamp())));
        _time.Advance(Suspect + TimeSpan.FromMilliseconds(1));
        Assert.Empty(ages.ViewOf([Row("ahead", ahead)], _time.GetTimestamp()).Silos); // not an hour more

        Assert.Empty(ages.ViewOf([], _time.GetTimestamp()).Silos); // gone from the table: forgotten
        Assert.Equal(["ahead"], Names(ages.ViewOf([Row("ahead", ahead)], _time.GetTimestamp()))); // back: a first sight again
    }

    [Fact]
    public void A_read_whose_answer_came_late_judges_silence_as_of_when_it_was_sent()
    {
        // The reader's own wait (a slow query, a stalled thread) is not the other silo's silence: counted, it would drop a
        // live silo and own its grains alongside it.
        var ages = new HeartbeatAges(_time, Suspect);
        var beat = _time.GetUtcNow();
        Assert.Equal(["peer"], Names(ages.ViewOf([Row("peer", beat)], _time.GetTimestamp())));

        _time.Advance(TimeSpan.FromSeconds(4));
        var sent = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(3)); // the answer handled 3 s after the query went out
        Assert.Equal(["peer"], Names(ages.ViewOf([Row("peer", beat)], sent)));

        // Asked now, the same heartbeat is 7 s old.
        Assert.Empty(ages.ViewOf([Row("peer", beat)], _time.GetTimestamp()).Silos);

        // A first sight is aged by the wall clocks as of the query too.
        var fresh = new HeartbeatAges(_time, Suspect);
        var written = _time.GetUtcNow() - TimeSpan.FromSeconds(4);
        sent = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(["peer"], Names(fresh.ViewOf([Row("peer", written)], sent)));
    }

    [Fact]
    public void Only_active_rows_are_in_the_view_and_a_first_sight_long_past_is_out()
    {
        var ages = new HeartbeatAges(_time, Suspect);
        var now = _time.GetUtcNow();

        var view = ages.ViewOf([Row("b", now), Row("leaving", now, SiloStatus.Leaving), Row("dead", now, SiloStatus.Dead), Row("a", now), Row("stale", now - TimeSpan.FromDays(365))], _time.GetTimestamp());

        Assert.Equal(["a", "b"], Names(view));
        Assert.Equal(now, view.ComputedAt);
    }

    [Fact]
    public void A_heartbeat_counts_as_silent_only_for_as_long_as_this_reader_has_watched_it_stand_still()
    {
        var ages = new HeartbeatAges(_time, Suspect);
        var retention = TimeSpan.FromMinutes(10);
        var longAgo = _time.GetUtcNow() - TimeSpan.FromHours(2); // by this reader's clock: a crash, or a clock two hours behind
        var crashed = _time.GetUtcNow();
        ages.ViewOf([Row("behind", longAgo), Row("crashed", crashed)], _time.GetTimestamp());
        Assert.Empty(ages.SilentFor(retention)); // a first sight is no evidence of silence, however old its time

        _time.Advance(retention - TimeSpan.FromMilliseconds(1));
        var behindNow = longAgo + retention;
        ages.ViewOf([Row("behind", behindNow), Row("crashed", crashed)], _time.GetTimestamp());
        Assert.Empty(ages.SilentFor(retention));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        ages.ViewOf([Row("behind", behindNow), Row("crashed", crashed)], _time.GetTimestamp());
        Assert.Equal([("crashed-id", crashed)], ages.SilentFor(retention)); // the one that moved was watched only a moment
    }
}
