using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;
using Grid.Ledger.Accounts;
using Grid.Ledger.Journal;

namespace Grid.Gateway.Tests;

/// <summary>
/// Each account route's success path through HTTP on the real silo and a real SQLite store: the answer,
/// and the journal read back both over HTTP and from the store directly.
/// </summary>
public sealed class AccountRoutesTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    private LedgerApi Api => fixture.Api;

    [Fact]
    public async Task Create_opens_the_account_with_the_given_or_a_generated_id_and_an_open_entry()
    {
        var created = await Api.PostAsync("/v1/accounts", new { id = "routes-create", name = "Alice", overdraftLimit = 50 });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("/v1/accounts/routes-create", created.Headers["Location"]);
        var account = created.Json;
        Assert.Equal("routes-create", account.GetProperty("id").GetString());
        Assert.Equal("Alice", account.GetProperty("name").GetString());
        Assert.Equal("active", account.GetProperty("status").GetString());
        Assert.False(account.GetProperty("guest").GetBoolean());
        Assert.Equal(50, account.GetProperty("overdraftLimit").GetInt64());
        AssertBalance(account.GetProperty("balance"), 0, 0, 1);

        var read = await Api.GetAsync("/v1/accounts/routes-create");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(created.Text, read.Text);

        var journal = await Api.JournalAsync("routes-create");
        var open = Assert.Single(journal);
        Assert.Equal("open", open.GetProperty("kind").GetString());
        Assert.Equal("~open", open.GetProperty("operationId").GetString());
        Assert.Equal(account.GetProperty("createdAt").GetDateTimeOffset(), open.GetProperty("at").GetDateTimeOffset());
        JournalAssert.Same(await StoredAsync("routes-create"), journal);
        var snapshot = await fixture.Store.LoadAsync("routes-create", CancellationToken.None);
        Assert.NotNull(snapshot);
        Assert.Equal(50, snapshot.Settings.OverdraftLimit);

        // No body at all: an account with a generated id.
        var generated = await Api.PostJsonAsync("/v1/accounts", null);
        Assert.Equal(HttpStatusCode.Created, generated.Status);
        var id = generated.Json.GetProperty("id").GetString()!;
        Assert.Matches("^acc_[0-9a-z]{26}$", id);
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync($"/v1/accounts/{id}")).Status);
        Assert.Single(await StoredAsync(id));
    }

    [Fact]
    public async Task Deposit_answers_entry_and_balance_keeps_metadata_as_an_object_and_replays_the_same_answer()
    {
        var id = await Api.CreateAccountAsync("routes-deposit");
        var body = new { operationId = "dep-1", amount = 1_500, reference = "pay_1", metadata = new { source = "card", tags = new[] { 1, 2 } } };

        var first = await Api.PostAsync($"/v1/accounts/{id}/deposits", body);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        var entry = first.Json.GetProperty("entry");
        AssertEntry(entry, 2, "deposit", 1_500, 0, 1_500, 0, "dep-1");
        Assert.Equal("pay_1", entry.GetProperty("reference").GetString());
        Assert.Equal(JsonValueKind.Object, entry.GetProperty("metadata").ValueKind);
        Assert.Equal("""{"source":"card","tags":[1,2]}""", entry.GetProperty("metadata").GetRawText());
        Assert.False(entry.TryGetProperty("holdId", out _));
        AssertBalance(first.Json.GetProperty("balance"), 1_500, 0, 2);

        // The same operation again, metadata spaced differently: the original answer, nothing new written.
        var again = await Api.PostJsonAsync($"/v1/accounts/{id}/deposits",
            """{ "operationId": "dep-1", "amount": 1500, "reference": "pay_1", "metadata": { "source": "card", "tags": [ 1, 2 ] } }""");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Text, again.Text);

        var stored = await StoredAsync(id);
        Assert.Equal(2, stored.Count);
        Assert.Equal("""{"source":"card","tags":[1,2]}""", stored[1].Metadata);
        JournalAssert.Same(stored[1], entry);
        JournalAssert.Same(stored, await Api.JournalAsync(id));
    }

    [Fact]
    public async Task Debit_refund_and_adjustments_move_available_and_are_journaled()
    {
        var id = await Api.CreateAccountAsync("routes-movements");
        await Api.DepositAsync(id, "dep", 1_000);

        var debit = await Api.PostAsync($"/v1/accounts/{id}/debits", new { operationId = "deb-1", amount = 300, reason = "inference", metadata = new { model = "m" } });
        Assert.Equal(HttpStatusCode.OK, debit.Status);
        AssertEntry(debit.Json.GetProperty("entry"), 3, "debit", 300, 0, 700, 0, "deb-1");
        Assert.Equal("inference", debit.Json.GetProperty("entry").GetProperty("reference").GetString());
        Assert.Equal("""{"model":"m"}""", debit.Json.GetProperty("entry").GetProperty("metadata").GetRawText());

        var refund = await Api.PostAsync($"/v1/accounts/{id}/refunds", new { operationId = "ref-1", amount = 200, reference = "pay_1" });
        Assert.Equal(HttpStatusCode.OK, refund.Status);
        AssertEntry(refund.Json.GetProperty("entry"), 4, "refund", 200, 0, 500, 0, "ref-1");

        var down = await Api.PostAsync($"/v1/accounts/{id}/adjustments", new { operationId = "adj-1", amount = -150, reason = "goodwill reversed" });
        Assert.Equal(HttpStatusCode.OK, down.Status);
        AssertEntry(down.Json.GetProperty("entry"), 5, "adjustment", -150, 0, 350, 0, "adj-1");
        Assert.Equal("goodwill reversed", down.Json.GetProperty("entry").GetProperty("reference").GetString());

        var up = await Api.PostAsync($"/v1/accounts/{id}/adjustments", new { operationId = "adj-2", amount = 25, reason = "goodwill" });
        Assert.Equal(HttpStatusCode.OK, up.Status);
        AssertEntry(up.Json.GetProperty("entry"), 6, "adjustment", 25, 0, 375, 0, "adj-2");
        AssertBalance(up.Json.GetProperty("balance"), 375, 0, 6);

        // Replays answer the original, even after later entries.
        var replay = await Api.PostAsync($"/v1/accounts/{id}/debits", new { operationId = "deb-1", amount = 300, reason = "inference", metadata = new { model = "m" } });
        Assert.Equal(debit.Text, replay.Text);

        var account = await Api.GetAsync($"/v1/accounts/{id}");
        AssertBalance(account.Json.GetProperty("balance"), 375, 0, 6);
        var stored = await StoredAsync(id);
        JournalAssert.Same(stored, await Api.JournalAsync(id));
        Assert.Equal(["open", "deposit", "debit", "refund", "adjustment", "adjustment"], stored.Select(e => JournalEntryKinds.Name(e.Kind)));
        var replayed = JournalAssert.Replay(stored);
        Assert.Equal((375L, 0L, 6L), (replayed.Available, replayed.Held, replayed.Sequence));
    }

    [Fact]
    public async Task Holds_are_placed_listed_captured_in_parts_and_voided()
    {
        var id = await Api.CreateAccountAsync("routes-holds");
        await Api.DepositAsync(id, "dep", 5_000);

        var placed = await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = "h-1", amount = 1_000, expiresInSeconds = 3_600, reference = "cast-1" });
        Assert.Equal(HttpStatusCode.Created, placed.Status);
        var hold = placed.Json;
        Assert.Equal("h-1", hold.GetProperty("id").GetString());
        Assert.Equal(1_000, hold.GetProperty("amount").GetInt64());
        Assert.Equal(0, hold.GetProperty("captured").GetInt64());
        Assert.Equal("open", hold.GetProperty("status").GetString());
        Assert.Equal("cast-1", hold.GetProperty("reference").GetString());
        var expiresAt = hold.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));

        // A replayed creation is 201 with the same body.
        var replay = await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = "h-1", amount = 1_000, expiresInSeconds = 3_600, reference = "cast-1" });
        Assert.Equal(HttpStatusCode.Created, replay.Status);
        Assert.Equal(placed.Text, replay.Text);

        var second = await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = "h-2", amount = 400 });
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal(JsonValueKind.Null, second.Json.GetProperty("expiresAt").ValueKind);

        var holds = await Api.GetAsync($"/v1/accounts/{id}/holds");
        Assert.Equal(HttpStatusCode.OK, holds.Status);
        Assert.Equal(["h-1", "h-2"], holds.Json.GetProperty("holds").EnumerateArray().Select(h => h.GetProperty("id").GetString()));
        Assert.Equal(placed.Text, holds.Json.GetProperty("holds")[0].GetRawText());
        AssertBalance((await Api.GetAsync($"/v1/accounts/{id}")).Json.GetProperty("balance"), 3_600, 1_400, 4);

        var part = await Api.PostAsync($"/v1/accounts/{id}/holds/h-1/capture", new { operationId = "cap-1", amount = 300, final = false });
        Assert.Equal(HttpStatusCode.OK, part.Status);
        AssertHold(part.Json.GetProperty("hold"), "h-1", 1_000, 300, "open");
        AssertEntry(part.Json.GetProperty("entry"), 5, "capture", 300, 0, 3_600, 1_100, "cap-1");
        Assert.Equal("h-1", part.Json.GetProperty("entry").GetProperty("holdId").GetString());
        AssertBalance(part.Json.GetProperty("balance"), 3_600, 1_100, 5);

        var final = await Api.PostAsync($"/v1/accounts/{id}/holds/h-1/capture", new { operationId = "cap-2", amount = 200 });
        Assert.Equal(HttpStatusCode.OK, final.Status);
        AssertHold(final.Json.GetProperty("hold"), "h-1", 1_000, 500, "captured");
        AssertEntry(final.Json.GetProperty("entry"), 6, "capture", 200, 500, 4_100, 400, "cap-2");

        var voided = await Api.PostAsync($"/v1/accounts/{id}/holds/h-2/void", new { operationId = "void-1" });
        Assert.Equal(HttpStatusCode.OK, voided.Status);
        AssertHold(voided.Json.GetProperty("hold"), "h-2", 400, 0, "voided");
        AssertEntry(voided.Json.GetProperty("entry"), 7, "void", 0, 400, 4_500, 0, "void-1");
        AssertBalance(voided.Json.GetProperty("balance"), 4_500, 0, 7);
        Assert.Equal(voided.Text, (await Api.PostAsync($"/v1/accounts/{id}/holds/h-2/void", new { operationId = "void-1" })).Text);

        Assert.Empty((await Api.GetAsync($"/v1/accounts/{id}/holds")).Json.GetProperty("holds").EnumerateArray());
        var stored = await StoredAsync(id);
        JournalAssert.Same(stored, await Api.JournalAsync(id));
        Assert.Equal(["open", "deposit", "hold", "hold", "capture", "capture", "void"], stored.Select(e => JournalEntryKinds.Name(e.Kind)));
        Assert.Equal((4_500L, 0L), (JournalAssert.Replay(stored).Available, JournalAssert.Replay(stored).Held));
        var snapshot = await fixture.Store.LoadAsync(id, CancellationToken.None);
        Assert.Equal(new Balance(4_500, 0, 7), snapshot!.Balance);
    }

    [Fact]
    public async Task A_hold_past_its_expiry_is_expired_by_the_account_and_can_no_longer_be_captured()
    {
        var id = await Api.CreateAccountAsync("routes-expiry");
        await Api.DepositAsync(id, "dep", 100);
        Assert.Equal(HttpStatusCode.Created, (await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = "h", amount = 60, expiresInSeconds = 1 })).Status);

        await Eventually.TrueAsync(
            async () => (await Api.JournalAsync(id)).Any(e => e.GetProperty("kind").GetString() == "expire"),
            "the expiry entry",
            TimeSpan.FromSeconds(30));

        var stored = await StoredAsync(id);
        var expire = stored[^1];
        Assert.Equal((JournalEntryKind.Expire, "h", 60L, 100L, 0L), (expire.Kind, expire.HoldId, expire.Released, expire.AvailableAfter, expire.HeldAfter));
        Assert.Empty((await Api.GetAsync($"/v1/accounts/{id}/holds")).Json.GetProperty("holds").EnumerateArray());
        var capture = await Api.PostAsync($"/v1/accounts/{id}/holds/h/capture", new { operationId = "late", amount = 1 });
        Assert.Equal(HttpStatusCode.Conflict, capture.Status);
        Assert.Equal("hold_closed", capture.Code);
        JournalAssert.Same(stored, await Api.JournalAsync(id));
    }

    [Fact]
    public async Task Freeze_unfreeze_and_close_change_the_status_and_are_journaled()
    {
        var id = await Api.CreateAccountAsync("routes-status");
        await Api.DepositAsync(id, "dep", 100);

        var frozen = await Api.PostAsync($"/v1/accounts/{id}/freeze", new { operationId = "frz-1", reason = "chargeback review" });
        Assert.Equal(HttpStatusCode.OK, frozen.Status);
        AssertEntry(frozen.Json.GetProperty("entry"), 3, "freeze", 0, 0, 100, 0, "frz-1");
        Assert.Equal("frozen", (await Api.GetAsync($"/v1/accounts/{id}")).Json.GetProperty("status").GetString());

        var unfrozen = await Api.PostAsync($"/v1/accounts/{id}/unfreeze", new { operationId = "unf-1" });
        Assert.Equal(HttpStatusCode.OK, unfrozen.Status);
        AssertEntry(unfrozen.Json.GetProperty("entry"), 4, "unfreeze", 0, 0, 100, 0, "unf-1");
        Assert.Equal("active", (await Api.GetAsync($"/v1/accounts/{id}")).Json.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/v1/accounts/{id}/refunds", new { operationId = "ref", amount = 100 })).Status);
        var closed = await Api.PostAsync($"/v1/accounts/{id}/close", new { operationId = "close-1" });
        Assert.Equal(HttpStatusCode.OK, closed.Status);
        AssertEntry(closed.Json.GetProperty("entry"), 6, "close", 0, 0, 0, 0, "close-1");
        var account = await Api.GetAsync($"/v1/accounts/{id}");
        Assert.Equal("closed", account.Json.GetProperty("status").GetString());
        AssertBalance(account.Json.GetProperty("balance"), 0, 0, 6);

        var stored = await StoredAsync(id);
        JournalAssert.Same(stored, await Api.JournalAsync(id));
        Assert.Equal(["open", "deposit", "freeze", "unfreeze", "refund", "close"], stored.Select(e => JournalEntryKinds.Name(e.Kind)));
        Assert.Equal("chargeback review", stored[2].Reference);
        Assert.Equal(AccountStatus.Closed, (await fixture.Store.LoadAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Journal_pages_by_after_and_limit()
    {
        var id = await Api.CreateAccountAsync("routes-journal");
        for (var i = 1; i <= 6; i++)
        {
            await Api.DepositAsync(id, $"dep-{i}", i);
        }

        var first = await Api.GetAsync($"/v1/accounts/{id}/journal?limit=3");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal([1L, 2L, 3L], first.Json.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(3, first.Json.GetProperty("next").GetInt64());

        var second = await Api.GetAsync($"/v1/accounts/{id}/journal?after=3&limit=3");
        Assert.Equal([4L, 5L, 6L], second.Json.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(6, second.Json.GetProperty("next").GetInt64());
        var last = await Api.GetAsync($"/v1/accounts/{id}/journal?after=6&limit=3");
        Assert.Equal([7L], last.Json.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(JsonValueKind.Null, last.Json.GetProperty("next").ValueKind);
        var beyond = await Api.GetAsync($"/v1/accounts/{id}/journal?after=7");
        Assert.Empty(beyond.Json.GetProperty("entries").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, beyond.Json.GetProperty("next").ValueKind);

        // Default page: everything here, and no next.
        var all = await Api.GetAsync($"/v1/accounts/{id}/journal");
        Assert.Equal(7, all.Json.GetProperty("entries").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, all.Json.GetProperty("next").ValueKind);
        JournalAssert.Same(await StoredAsync(id), await Api.JournalAsync(id, pageSize: 2));
    }

    private async Task<IReadOnlyList<JournalEntry>> StoredAsync(string id) =>
        await fixture.Store.ReadJournalAsync(id, 0, 10_000, CancellationToken.None);

    private static void AssertEntry(JsonElement entry, long sequence, string kind, long amount, long released, long available, long held, string operationId)
    {
        Assert.Equal(sequence, entry.GetProperty("sequence").GetInt64());
        Assert.Equal(kind, entry.GetProperty("kind").GetString());
        Assert.Equal(amount, entry.GetProperty("amount").GetInt64());
        Assert.Equal(released, entry.GetProperty("released").GetInt64());
        Assert.Equal(available, entry.GetProperty("available").GetInt64());
        Assert.Equal(held, entry.GetProperty("held").GetInt64());
        Assert.Equal(operationId, entry.GetProperty("operationId").GetString());
        Assert.True(entry.GetProperty("at").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
    }

    private static void AssertBalance(JsonElement balance, long available, long held, long sequence)
    {
        Assert.Equal(available, balance.GetProperty("available").GetInt64());
        Assert.Equal(held, balance.GetProperty("held").GetInt64());
        Assert.Equal(sequence, balance.GetProperty("sequence").GetInt64());
    }

    private static void AssertHold(JsonElement hold, string id, long amount, long captured, string status)
    {
        Assert.Equal(id, hold.GetProperty("id").GetString());
        Assert.Equal(amount, hold.GetProperty("amount").GetInt64());
        Assert.Equal(captured, hold.GetProperty("captured").GetInt64());
        Assert.Equal(status, hold.GetProperty("status").GetString());
    }
}
