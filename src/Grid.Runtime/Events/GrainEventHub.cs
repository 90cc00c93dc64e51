using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Grid.Runtime.Events;

/// <summary>
/// In-silo publish/subscribe for grain events. Publishing never blocks: each subscriber has a bounded
/// buffer and is disconnected with <see cref="SubscriberTooSlowException"/> when it overflows; a subscriber
/// to every grain's events drops its oldest instead.
/// </summary>
internal sealed class GrainEventHub : IGrainEvents
{
    private readonly ConcurrentDictionary<GrainId, ImmutableSubscribers> _subscribers = new();
    private readonly Lock _everywhereLock = new();
    private volatile ISubscriber[] _everywhere = [];

    public GrainEventSubscription<TEvent> Subscribe<TEvent>(GrainId grainId, int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscriber = new Subscriber<TEvent>(this, grainId, capacity);
        _subscribers.AddOrUpdate(grainId, static (_, s) => new([s]), static (_, list, s) => new([.. list.Items, s]), (ISubscriber)subscriber);
        return new GrainEventSubscription<TEvent>(subscriber.Reader, subscriber);
    }

    public GrainEventSubscription<TEvent> SubscribeEverywhere<TEvent>(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscriber = new LossySubscriber<TEvent>(this, capacity);
        lock (_everywhereLock)
        {
            _everywhere = [.. _everywhere, subscriber];
        }

        return new GrainEventSubscription<TEvent>(subscriber.Reader, subscriber);
    }

    public void Publish<TEvent>(GrainId grainId, TEvent @event)
    {
        var everywhere = _everywhere;
        if (everywhere.Length != 0)
        {
            foreach (var subscriber in everywhere)
            {
                subscriber.Offer(@event);
            }
        }

        if (!_subscribers.TryGetValue(grainId, out var list))
        {
            return;
        }

        foreach (var subscriber in list.Items)
        {
            subscriber.Offer(@event);
        }
    }

    private void Remove(GrainId grainId, ISubscriber subscriber)
    {
        while (_subscribers.TryGetValue(grainId, out var list))
        {
            var remaining = list.Items.Where(s => !ReferenceEquals(s, subscriber)).ToArray();
            var updated = remaining.Length == 0
                ? _subscribers.TryRemove(KeyValuePair.Create(grainId, list))
                : _subscribers.TryUpdate(grainId, new(remaining), list);
            if (updated)
            {
                return;
            }
        }
    }

    private void RemoveEverywhere(ISubscriber subscriber)
    {
        lock (_everywhereLock)
        {
            _everywhere = [.. _everywhere.Where(s => !ReferenceEquals(s, subscriber))];
        }
    }

    private sealed record ImmutableSubscribers(ISubscriber[] Items);

    private interface ISubscriber
    {
        void Offer<T>(T @event);
    }

    private sealed class Subscriber<TEvent>(GrainEventHub hub, GrainId grainId, int capacity) : ISubscriber, IDisposable
    {
        private readonly Channel<TEvent> _channel = Channel.CreateBounded<TEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        public ChannelReader<TEvent> Reader => _channel.Reader;

        public void Offer<T>(T @event)
        {
            if (@event is TEvent typed && !_channel.Writer.TryWrite(typed))
            {
                _channel.Writer.TryComplete(new SubscriberTooSlowException(grainId, capacity));
                hub.Remove(grainId, this);
            }
        }

        public void Dispose()
        {
            _channel.Writer.TryComplete();
            hub.Remove(grainId, this);
        }
    }

    private sealed class LossySubscriber<TEvent>(GrainEventHub hub, int capacity) : ISubscriber, IDisposable
    {
        private readonly Channel<TEvent> _channel = Channel.CreateBounded<TEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        });

        public ChannelReader<TEvent> Reader => _channel.Reader;

        public void Offer<T>(T @event)
        {
            if (@event is TEvent typed)
            {
                _channel.Writer.TryWrite(typed);
            }
        }

        public void Dispose()
        {
            _channel.Writer.TryComplete();
            hub.RemoveEverywhere(this);
        }
    }
}
