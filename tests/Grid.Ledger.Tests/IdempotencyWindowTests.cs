using Grid.Ledger.Idempotency;
using Grid.Ledger.Journal;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>The bounded in-memory window of recent operation ids.</summary>
public sealed class IdempotencyWindowTests
{
    private static JournalEntry Entry(long sequence, string? operationId = null) => new(
        sequence, JournalEntryKind.Deposit, 1, 0, sequence, 0, operationId ?? $"op-{sequence}",
        null, null, null, null, null, null, "amount=1", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Durable_entries_beyond_capacity_are_let_go_oldest_first_and_the_window_becomes_incomplete()
    {
        var window = new IdempotencyWindow(3);
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            window.Add(Entry(sequence), durableSequence: sequence);
        }

        Assert.True(window.IsComplete);
        Assert.True(window.IsCertainlyNew("op-9"));
        window.Add(Entry(4), durableSequence: 4);

        Assert.Equal(3, window.Count);
        Assert.False(window.TryGet("op-1", out _));
        Assert.True(window.TryGet("op-2", out var kept));
        Assert.Equal(2, kept.Sequence);
        Assert.False(window.IsComplete);
        Assert.False(window.IsCertainlyNew("op-9")); // it might be beyond the window now
    }

    [Fact]
    public void Entries_not_yet_durable_are_never_let_go_however_many_there_are()
    {
        var window = new IdempotencyWindow(2);
        for (var sequence = 1; sequence <= 50; sequence++)
        {
            window.Add(Entry(sequence), durableSequence: 0);
        }

        Assert.Equal(50, window.Count);
        Assert.True(window.IsComplete);
        Assert.True(window.TryGet("op-1", out _));

        // Once durable up to 10, the window may shrink, but only through what is durable.
        window.Add(Entry(51), durableSequence: 10);
        Assert.Equal(41, window.Count);
        Assert.False(window.TryGet("op-10", out _));
        Assert.True(window.TryGet("op-11", out _));
        Assert.False(window.IsComplete);
    }

    [Fact]
    public void An_entry_added_without_eviction_lets_no_other_go_until_the_next_add()
    {
        var window = new IdempotencyWindow(2);
        window.Add(Entry(5), durableSequence: 5);
        window.Add(Entry(6), durableSequence: 6);

        window.AddWithoutEviction(Entry(1)); // looked up in the journal
        Assert.Equal(3, window.Count);
        Assert.True(window.TryGet("op-5", out _));
        Assert.True(window.TryGet("op-1", out _));

        window.Add(Entry(7), durableSequence: 7);
        Assert.Equal(2, window.Count);
        Assert.False(window.TryGet("op-5", out _));
        Assert.False(window.TryGet("op-6", out _));
        Assert.True(window.TryGet("op-1", out _)); // added last, so it leaves last
    }

    [Fact]
    public void An_entry_added_again_keeps_the_first_one()
    {
        var window = new IdempotencyWindow(4);
        window.Add(Entry(1, "same"), 1);
        window.Add(Entry(7, "same"), 7);
        Assert.Equal(1, window.Count);
        Assert.True(window.TryGet("same", out var entry));
        Assert.Equal(1, entry.Sequence);
    }

    [Fact]
    public void Marking_incomplete_sticks_and_capacity_must_be_positive()
    {
        var window = new IdempotencyWindow(1);
        window.MarkIncomplete();
        Assert.False(window.IsComplete);
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdempotencyWindow(0));
    }
}
