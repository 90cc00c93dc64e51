using Grid.Runtime.Membership;
using Grid.Storage.Stores;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>The membership table's contract (<see cref="IMembershipTable"/>), on every provider.</summary>
public abstract partial class StorageContractTests
{
    private static readonly DateTimeOffset MembershipEpoch = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);

    protected SqlMembershipTable Membership => new(Database);

    private static MembershipEntry Member(string id, long heartbeatMs = 0, SiloStatus status = SiloStatus.Active) => new(
        id, $"name-{id}", $"http://127.0.0.1:1100{id.Length}", MembershipEpoch, MembershipEpoch.AddMilliseconds(heartbeatMs), status);

    [Fact]
    public async Task Membership_rows_are_written_whole_and_read_back_in_silo_id_order()
    {
        await Membership.UpsertAsync(Member("silo-b"), Ct);
        await Membership.UpsertAsync(Member("silo-a", 5), Ct);
        await Membership.UpsertAsync(Member("silo-b", 7, SiloStatus.Leaving), Ct); // a change of status replaces the row

        var rows = await Membership.ReadAllAsync(Ct);
        Assert.Equal([Member("silo-a", 5), Member("silo-b", 7, SiloStatus.Leaving)], rows);
    }

    [Fact]
    public async Task A_heartbeat_moves_an_active_row_forward_only_but_always_and_reports_rows_that_are_gone_or_left()
    {
        await Membership.UpsertAsync(Member("alive", 100), Ct);
        await Membership.UpsertAsync(Member("left", 100, SiloStatus.Dead), Ct);

        Assert.True(await Membership.HeartbeatAsync("alive", MembershipEpoch.AddMilliseconds(250), Ct));
        Assert.True(await Membership.HeartbeatAsync("alive", MembershipEpoch.AddMilliseconds(200), Ct)); // a clock stepped back
        Assert.True(await Membership.HeartbeatAsync("alive", MembershipEpoch.AddMilliseconds(250), Ct));
        Assert.False(await Membership.HeartbeatAsync("left", MembershipEpoch.AddMilliseconds(300), Ct));
        Assert.False(await Membership.HeartbeatAsync("never-joined", MembershipEpoch, Ct));

        var rows = await Membership.ReadAllAsync(Ct);
        Assert.Equal(MembershipEpoch.AddMilliseconds(252), rows.Single(r => r.SiloId == "alive").HeartbeatAt); // a millisecond a late beat
        Assert.Equal(MembershipEpoch.AddMilliseconds(100), rows.Single(r => r.SiloId == "left").HeartbeatAt);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task Rows_of_silos_that_left_are_removed_by_heartbeat_age_and_active_ones_only_far_older()
    {
        await Membership.UpsertAsync(Member("ancient-active", 5), Ct); // older than any clock runs off
        await Membership.UpsertAsync(Member("old-active", 10), Ct); // maybe a live silo whose clock runs behind
        await Membership.UpsertAsync(Member("old-dead", 20, SiloStatus.Dead), Ct);
        await Membership.UpsertAsync(Member("old-leaving", 30, SiloStatus.Leaving), Ct);
        await Membership.UpsertAsync(Member("fresh-dead", 100, SiloStatus.Dead), Ct);

        Assert.Equal(3, await Membership.RemoveDepartedAsync(MembershipEpoch.AddMilliseconds(50), MembershipEpoch.AddMilliseconds(8), Ct));
        Assert.Equal(["fresh-dead", "old-active"], (await Membership.ReadAllAsync(Ct)).Select(r => r.SiloId));
    }

    [Fact]
    public async Task A_silent_row_is_removed_only_while_its_heartbeat_is_the_one_seen()
    {
        await Membership.UpsertAsync(Member("crashed", 10), Ct);
        await Membership.UpsertAsync(Member("beat-since", 10), Ct);
        Assert.True(await Membership.HeartbeatAsync("beat-since", MembershipEpoch.AddMilliseconds(20), Ct));

        Assert.True(await Membership.RemoveSilentAsync("crashed", MembershipEpoch.AddMilliseconds(10), Ct));
        Assert.False(await Membership.RemoveSilentAsync("beat-since", MembershipEpoch.AddMilliseconds(10), Ct));
        Assert.False(await Membership.RemoveSilentAsync("never-joined", MembershipEpoch, Ct));
        Assert.Equal(["beat-since"], (await Membership.ReadAllAsync(Ct)).Select(r => r.SiloId));
    }
}
