using Grid.Ledger.Idempotency;
using Grid.Ledger.Journal;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>The bounded in-memory window of recent operations: fingerprints for all, whole entries only while needed.</summary>
public sealed class IdempotencyWindowTests
{
    private static JournalEntry Entry(long sequence, string? operationId = null, JournalEntryKind kind = JournalEntryKind.Deposit) => new(
        sequence, kind, 1, 0, sequence, 0, operationId ?? $"op-{sequence}",
        null, null, null, null, null, null, "amount=1", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Durable_fingerprints_beyond_capacity_are_let_go_oldest_first_and_the_window_becomes_incomplete()
    {
        var window = new IdempotencyWindow(3);
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            window.Add(Entry(sequence), durableSequence: sequence - 1);
            window.MarkDurable(sequence);
        }

        Assert.True(window.IsComplete);
        Assert.False(window.NeedsLookup("op-9")); // certainly new
        Assert.True(window.NeedsLookup("op-1")); // used: only the journal has its entry now
        window.Add(Entry(4), durableSequence: 3);

        Assert.Equal(3, window.Count);
        Assert.False(window.Knows("op-1", out _));
        Assert.True(window.Knows("op-2", out var kind));
        Assert.Equal(JournalEntryKind.Deposit, kind);
        Assert.False(window.IsComplete);
        Assert.True(window.NeedsLookup("op-9")); // it might be beyond the window now
    }

    [Fact]
    public void Entries_are_held_whole_until_durable_and_as_fingerprints_after()
    {
        var window = new IdempotencyWindow(8);
        window.Add(Entry(1), durableSequence: 0);
        window.Add(Entry(2), durableSequence: 0);

        Assert.True(window.TryGet("op-1", out var whole));
        Assert.Equal(1, whole.Sequence);
        Assert.False(window.NeedsLookup("op-1")); // a retry is answered from memory

        window.MarkDurable(1);
        Assert.False(window.TryGet("op-1", out _));
        Assert.True(window.TryGet("op-2", out _));
        Assert.Equal(1, window.WholeCount);
        Assert.True(window.Knows("op-1", out _));
        Assert.True(window.NeedsLookup("op-1"));
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
        Assert.Equal(50, window.WholeCount);
        Assert.True(window.IsComplete);
        Assert.True(window.TryGet("op-1", out _));

        // Once durable up to 10, the window may shrink, but only through what is durable.
        window.MarkDurable(10);
        window.Add(Entry(51), durableSequence: 10);
        Assert.Equal(41, window.Count);
        Assert.False(window.Knows("op-10", out _));
        Assert.True(window.TryGet("op-11", out _));
        Assert.False(window.IsComplete);
    }

    [Fact]
    public void Retries_of_ever_more_old_ids_with_no_new_entry_keep_the_window_bounded()
    {
        var window = new IdempotencyWindow(16);
        window.Add(Entry(10_001), durableSequence: 10_000);
        window.MarkDurable(10_001);
        for (var sequence = 1; sequence <= 10_000; sequence++)
        {
            window.BeforeLookups();
            window.Recall(Entry(sequence)); // an old id retried, looked up in the journal
            Assert.True(window.TryGet($"op-{sequence}", out _)); // the command about to run has its entry
        }

        Assert.InRange(window.WholeCount, 1, window.Capacity + 3);
        Assert.InRange(window.Count, 1, 2 * window.Capacity);
        Assert.False(window.IsComplete);
    }

    [Fact]
    public void A_recalled_entry_is_held_whole_through_additions_without_eviction_and_released_by_the_next_new_entry()
    {
        var window = new IdempotencyWindow(2);
        window.Add(Entry(5), durableSequence: 4);
        window.Add(Entry(6), durableSequence: 5);
        window.MarkDurable(6);

        window.Recall(Entry(1)); // looked up in the journal for a command about to run
        window.AddWithoutEviction(Entry(7, "~expire:h", JournalEntryKind.Expire)); // written between the check and the command
        Assert.Equal(4, window.Count);
        Assert.True(window.TryGet("op-1", out _));
        Assert.True(window.Knows("op-5", out _));

        window.Add(Entry(8), durableSequence: 7);
        Assert.False(window.TryGet("op-1", out _));
        Assert.Equal(2, window.Count);
        Assert.False(window.Knows("op-5", out _));
        Assert.False(window.Knows("op-6", out _));
    }

    [Fact]
    public void Kinds_are_remembered_so_a_closed_hold_is_told_from_other_entries()
    {
        var window = new IdempotencyWindow(4);
        window.Add(Entry(1, "h", JournalEntryKind.Hold), durableSequence: 0);
        window.MarkDurable(1);

        Assert.True(window.Knows("h", out var kind));
        Assert.Equal(JournalEntryKind.Hold, kind);
        Assert.False(window.Knows("other", out _));
    }

    [Fact]
    public void Fingerprints_are_stable_and_tell_ids_apart()
    {
        Assert.Equal(OperationFingerprint.Of("op-1"), OperationFingerprint.Of("op-1"));
        Assert.NotEqual(OperationFingerprint.Of("op-1"), OperationFingerprint.Of("op-2"));
        Assert.NotEqual(OperationFingerprint.Of("ab"), OperationFingerprint.Of("ba"));
    }

    [Fact]
    public void Marking_incomplete_sticks_and_capacity_must_be_positive()
    {
        var window = new IdempotencyWindow(1);
        window.MarkIncomplete();
        Assert.False(window.IsComplete);
        Assert.True(window.NeedsLookup("anything"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdempotencyWindow(0));
    }
}
