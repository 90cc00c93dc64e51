using Grid.Gateway.Streams;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Tests;

/// <summary>The stream bounds in the order they apply, and slots given back; end users' streams counted per address too.</summary>
public sealed class StreamSlotsTests
{
    private static StreamSlots Slots() => new(Options.Create(new StreamOptions
    {
        MaxStreams = 6, MaxEndUserStreams = 4, MaxPerAccount = 3, MaxPerEndUserAddress = 2,
    }));

    [Fact]
    public void End_users_streams_are_bounded_per_address_and_in_all_and_keyed_ones_only_per_account_and_silo()
    {
        var slots = Slots();
        var first = slots.TryTake("acc-1", "203.0.113.7", out _);
        Assert.NotNull(first);
        Assert.NotNull(slots.TryTake("acc-2", "203.0.113.7", out _));
        Assert.Null(slots.TryTake("acc-3", "203.0.113.7", out var reached));
        Assert.Equal(StreamBound.Address, reached);

        Assert.NotNull(slots.TryTake("acc-3", "198.51.100.1", out _)); // another address
        Assert.NotNull(slots.TryTake("acc-3", "198.51.100.2", out _));
        Assert.Null(slots.TryTake("acc-4", "198.51.100.3", out reached));
        Assert.Equal(StreamBound.EndUsers, reached); // four end users' streams: their share is full

        Assert.NotNull(slots.TryTake("acc-3", null, out _)); // a key's stream
        Assert.Null(slots.TryTake("acc-3", null, out reached));
        Assert.Equal(StreamBound.Account, reached);
        Assert.NotNull(slots.TryTake("acc-5", null, out _));
        Assert.Null(slots.TryTake("acc-6", null, out reached));
        Assert.Equal(StreamBound.Silo, reached);

        first!.Dispose();
        first.Dispose(); // given back once, to every count it was in
        Assert.NotNull(slots.TryTake("acc-4", "203.0.113.7", out _));
        Assert.Null(slots.TryTake("acc-1", "192.0.2.1", out reached));
        Assert.Equal(StreamBound.Silo, reached);
    }
}
