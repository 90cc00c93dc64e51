using Grid.Ledger.Persistence;
using Grid.Storage.Stores;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>Usage records (<see cref="IUsageStore"/>) on every provider: written once per piece of work, summed by day and kind.</summary>
public abstract partial class StorageContractTests
{
    private static readonly DateTimeOffset UsageDay = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private SqlUsageStore Usage => new(Database);

    [Fact]
    public async Task Usage_is_summed_per_day_and_per_kind_and_a_record_written_again_counts_once()
    {
        UsageRecord Cast(string id, string? kind, long price, string status, TimeSpan after, string account = "acct-usage") =>
            new("cast", id, account, kind, 1, price == 0 ? null : price / 2m, price, status, UsageDay + after);

        await Usage.RecordAsync(Cast("c1", "upscale", 30, "completed", TimeSpan.FromHours(1)), Ct);
        await Usage.RecordAsync(Cast("c1", "upscale", 30, "completed", TimeSpan.FromHours(1)), Ct); // a redo
        await Usage.RecordAsync(Cast("c2", "upscale", 12, "completed", TimeSpan.FromHours(23.9)), Ct);
        await Usage.RecordAsync(Cast("c3", null, 0, "needs_review", TimeSpan.FromHours(25)), Ct);
        await Usage.RecordAsync(Cast("c4", "framing", 5, "completed", TimeSpan.FromDays(3)), Ct); // past the range below
        await Usage.RecordAsync(Cast("c5", "framing", 5, "completed", TimeSpan.FromHours(2), account: "acct-other"), Ct);
        await Usage.RecordAsync(new UsageRecord("session", "c1", "acct-usage", "llm", 2_450, null, 1_960, "completed", UsageDay + TimeSpan.FromHours(3)), Ct);

        var byDay = await Usage.SummarizeAsync("acct-usage", UsageDay, UsageDay.AddDays(2), UsageGrouping.Day, Ct);
        Assert.Equal(
            [new UsageSummaryRow("2026-11-20", 3, 2_452, 2_002, 0), new UsageSummaryRow("2026-11-21", 1, 1, 0, 1)],
            byDay);

        var byKind = await Usage.SummarizeAsync("acct-usage", UsageDay, UsageDay.AddDays(2), UsageGrouping.Kind, Ct);
        Assert.Equal(
            [new UsageSummaryRow("", 1, 1, 0, 1), new UsageSummaryRow("llm", 1, 2_450, 1_960, 0), new UsageSummaryRow("upscale", 2, 2, 42, 0)],
            byKind);
        Assert.Empty(await Usage.SummarizeAsync("acct-none", UsageDay, UsageDay.AddDays(2), UsageGrouping.Day, Ct));
    }

    [Fact]
    public async Task Kinds_come_in_ordinal_order_whatever_the_database_collation()
    {
        string[] kinds = ["upscale", "Upscale", "_batch", "llm", "LLM-2", "framing"];
        for (var i = 0; i < kinds.Length; i++)
        {
            await Usage.RecordAsync(new UsageRecord("cast", $"k{i}", "acct-kinds", kinds[i], 1, null, i + 1, "completed", UsageDay), Ct);
        }

        var byKind = await Usage.SummarizeAsync("acct-kinds", UsageDay, UsageDay.AddDays(1), UsageGrouping.Kind, Ct);
        Assert.Equal(kinds.Order(StringComparer.Ordinal), byKind.Select(row => row.Key));
    }

    [Fact]
    public async Task A_sum_past_what_a_long_holds_is_an_overflow_on_every_provider_and_the_ranges_apart_still_sum()
    {
        // Two sessions of half the largest long each (a session counts up to 10^15 units; thousands add up the same way).
        const long Half = (long.MaxValue / 2) + 1;
        await Usage.RecordAsync(new UsageRecord("session", "huge-1", "acct-huge", "llm", Half, null, 1, "completed", UsageDay), Ct);
        await Usage.RecordAsync(new UsageRecord("session", "huge-2", "acct-huge", "llm", Half, null, 1, "completed", UsageDay.AddDays(1)), Ct);

        await Assert.ThrowsAsync<OverflowException>(() => Usage.SummarizeAsync("acct-huge", UsageDay, UsageDay.AddDays(2), UsageGrouping.Kind, Ct));
        Assert.Equal(
            [new UsageSummaryRow("2026-11-20", 1, Half, 1, 0), new UsageSummaryRow("2026-11-21", 1, Half, 1, 0)],
            await Usage.SummarizeAsync("acct-huge", UsageDay, UsageDay.AddDays(2), UsageGrouping.Day, Ct));
    }

    [Fact]
    public async Task A_summary_reads_one_group_past_the_most_it_answers_and_no_more()
    {
        // Kinds are the callers' to choose: without a bound, one summary would hold them all in the silo's memory.
        for (var i = 0; i < IUsageStore.MaxGroups + 5; i++)
        {
            await Usage.RecordAsync(new UsageRecord("cast", $"many-{i}", "acct-many", $"kind-{i}", 1, null, 1, "completed", UsageDay), Ct);
        }

        var byKind = await Usage.SummarizeAsync("acct-many", UsageDay, UsageDay.AddDays(1), UsageGrouping.Kind, Ct);
        Assert.Equal(IUsageStore.MaxGroups + 1, byKind.Count);
        Assert.Single(await Usage.SummarizeAsync("acct-many", UsageDay, UsageDay.AddDays(1), UsageGrouping.Day, Ct));
    }
}
