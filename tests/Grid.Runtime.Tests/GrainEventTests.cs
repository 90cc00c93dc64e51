using Grid.Runtime.Tests.Support;
using Xunit;

namespace Grid.Runtime.Tests;

public sealed class GrainEventTests
{
    [Fact]
    public async Task Subscribers_receive_what_the_grain_publishes_in_order()
    {
        await using var silo = await TestSilo.StartAsync(s => s.AddGrainForEvents());
        var grain = silo.Grains.GetGrain<IPublisherGrain>("p");
        using var subscription = silo.Runtime.Events.Subscribe<CountChanged>(grain.GetGrainId());

        for (var i = 1; i <= 5; i++)
        {
            await grain.Add(i);
        }

        var received = new List<CountChanged>();
        for (var i = 0; i < 5; i++)
        {
            received.Add(await subscription.Reader.ReadAsync());
        }

        Assert.Equal([1L, 3, 6, 10, 15], received.Select(e => e.Total));
    }

    [Fact]
    public async Task Slow_subscriber_is_disconnected_and_does_not_slow_the_grain()
    {
        await using var silo = await TestSilo.StartAsync(s => s.AddGrainForEvents());
        var grain = silo.Grains.GetGrain<IPublisherGrain>("slow");
        using var slow = silo.Runtime.Events.Subscribe<CountChanged>(grain.GetGrainId(), capacity: 4);
        using var fast = silo.Runtime.Events.Subscribe<CountChanged>(grain.GetGrainId(), capacity: 100);

        for (var i = 0; i < 10; i++)
        {
            await grain.Add(1); // completes although nobody reads the slow subscription
        }

        var drained = new List<CountChanged>();
        await Assert.ThrowsAsync<SubscriberTooSlowException>(async () =>
        {
            await foreach (var e in slow.ReadAllAsync())
            {
                drained.Add(e);
            }
        });
        Assert.Equal(4, drained.Count);
        Assert.Equal(10, fast.Reader.Count);
    }

    [Fact]
    public async Task A_subscriber_everywhere_hears_every_grain_keeps_the_latest_when_behind_and_nothing_after_it_leaves()
    {
        await using var silo = await TestSilo.StartAsync(s => s.AddGrainForEvents());
        var first = silo.Grains.GetGrain<IPublisherGrain>("first");
        var second = silo.Grains.GetGrain<IPublisherGrain>("second");
        var everywhere = silo.Runtime.Events.SubscribeEverywhere<CountChanged>(capacity: 3);

        await first.Add(1);
        await second.Add(10);
        for (var i = 0; i < 5; i++)
        {
            await first.Add(100); // nobody reads: the oldest go, the grain never waits
        }

        var kept = new List<CountChanged>();
        while (everywhere.Reader.TryRead(out var e))
        {
            kept.Add(e);
        }

        Assert.Equal([301L, 401, 501], kept.Select(e => e.Total));

        everywhere.Dispose();
        await second.Add(1);
        Assert.False(everywhere.Reader.TryRead(out _));
        Assert.True(everywhere.Reader.Completion.IsCompleted);
    }
}

public interface IPublisherGrain : IGrainWithStringKey
{
    Task Add(long amount);
}

public sealed record CountChanged(long Total);

internal sealed class PublisherGrain : Grain, IPublisherGrain
{
    private long _total;

    public Task Add(long amount)
    {
        _total += amount;
        Context.Publish(new CountChanged(_total));
        return Task.CompletedTask;
    }
}

internal static class PublisherRegistration
{
    public static void AddGrainForEvents(this Microsoft.Extensions.DependencyInjection.IServiceCollection services) =>
        Grid.Runtime.Hosting.GridRuntimeServiceCollectionExtensions.AddGrain<PublisherGrain>(services);
}
