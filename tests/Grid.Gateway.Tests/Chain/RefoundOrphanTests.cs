using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Grid.Chain.TestKit.Contracts;
using Grid.TestKit;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// What a stop leaves in the watcher's written state, against a chain that moved meanwhile. A credited deposit reorged
/// out is reversed by its payment; the watcher then forgets it. When the reversal's answer is lost (or a stop comes
/// before the watcher writes down that it forgot it), the watcher still follows the deposit as credited. Found again on
/// the chain, it must go back to its payment, which knows it was reversed and credits it again; taken as settled, the
/// payer's deposit stood on the chain with no credit for it. And a range's deposits are written down before its cursor:
/// a stop between the two, then a reorg of their block, must not leave them followed (and credited) on a chain without them.
/// </summary>
public sealed class RefoundOrphanTests(ChainSiloFixture fixture) : IClassFixture<ChainSiloFixture>
{
    private const int N = ChainSiloFixture.Confirmations;
    private const long WeiPerCredit = 1_000_000_000_000;
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly ChainRecords _records = new(fixture);
    private readonly ChainPayer _payer = new(fixture.Chain);

    [Fact]
    public async Task A_reversed_deposit_the_watcher_still_follows_as_credited_is_credited_again_when_it_returns()
    {
        var client = fixture.Chain.Client;
        var payer = fixture.Chain.DevAccounts[7];
        var tx = await _payer.DepositEthAsync(payer, 40 * WeiPerCredit, ChainDeployment.Reference("found again"));
        var raw = await client.GetRawTransactionAsync(tx, Ct);
        var included = (await client.GetReceiptAsync(tx, Ct))!;
        await client.MineAsync(N, Ct);
        await _records.WaitForCreditsAsync([tx], 1);
        JsonNode? followed = null;
        await Eventually.TrueAsync(
            async () => await StoredWatcherStateAsync() is { } written && (followed = Followed(written, tx)) is not null,
            "the watcher writing down the deposit it follows",
            ChainApi.Patience);

        // Reorged out past its confirmations and never seen again: reversed.
        var height = await client.GetBlockNumberAsync(Ct);
        await client.ReorgAsync((int)(height - included.BlockNumber + 1), Ct);
        await client.MineAsync(N, Ct);
        await Eventually.TrueAsync(
            async () => (await _records.EventsAsync()).Any(e => e.Type == "deposit.reorged" && string.Equals(e.Transaction, tx, StringComparison.OrdinalIgnoreCase)),
            "the credit reversed",
            ChainApi.Patience);
        var account = ChainRecords.WalletAccount(payer);
        Assert.Equal(0, await BalanceAsync(account));

        // The watcher as a lost answer leaves it: the deposit still followed as credited, waiting to be found again.
        await fixture.Silo.DisposeAsync();
        var state = await WatcherStateAsync();
        followed!["settled"] = true;
        followed["credited"] = true;
        state["orphaned"]!.AsArray().Add(followed);
        state["orphanedBelow"] = (ulong)state["nextBlock"]! + 10_000;
        await WriteWatcherStateAsync(state);
        fixture.StartSilo();
        await fixture.Silo.WaitReadyAsync();

        // The same transaction mined again, in a later block.
        await client.RequestAsync("eth_sendRawTransaction", [raw], Ct);
        await client.MineAsync(N, Ct);

        await _records.WaitForCreditsAsync([tx], 2);
        Assert.Equal([1, 2], (await _records.CreditsOfAsync([tx])).Select(c => c.Generation).Order());
        Assert.Equal(40, await BalanceAsync(account));
    }

    [Fact]
    public async Task A_deposit_written_down_by_a_range_a_stop_cut_short_whose_block_was_then_replaced_is_never_credited()
    {
        var client = fixture.Chain.Client;
        var payer = fixture.Chain.DevAccounts[2];
        var tx = await _payer.DepositEthAsync(payer, 30 * WeiPerCredit, ChainDeployment.Reference("cut short"));
        var included = (await client.GetReceiptAsync(tx, Ct))!;
        await Eventually.TrueAsync(
            async () => await StoredWatcherStateAsync() is { } written && Followed(written, tx) is not null,
            "the watcher writing down the deposit it follows",
            ChainApi.Patience);

        // The state a stop after the range's deposits were written down, and before its cursor was, leaves.
        await fixture.Silo.DisposeAsync();
        var state = await WatcherStateAsync();
        state["nextBlock"] = included.BlockNumber;
        var recent = state["recent"]!.AsArray();
        foreach (var kept in recent.Where(b => (long)b!["number"]! >= included.BlockNumber).ToList())
        {
            recent.Remove(kept);
        }

        await WriteWatcherStateAsync(state);

        // Meanwhile its block is replaced by an empty one, and the new chain grows well past the confirmations.
        var height = await client.GetBlockNumberAsync(Ct);
        await client.ReorgAsync((int)(height - included.BlockNumber + 1), Ct);
        Assert.Null(await client.GetReceiptAsync(tx, Ct));
        await client.MineAsync(2 * N, Ct);
        fixture.StartSilo();
        await fixture.Silo.WaitReadyAsync();

        var head = await client.GetBlockNumberAsync(Ct);
        await Eventually.TrueAsync(
            async () => await StoredWatcherStateAsync() is { } written && LetGo(written, tx, head),
            "the watcher scanning past the block and letting the deposit go",
            ChainApi.Patience);
        Assert.Empty(await _records.CreditsOfAsync([tx]));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await fixture.Api.GetAsync($"/v1/accounts/{ChainRecords.WalletAccount(payer)}")).Status); // no credit opened its guest account
    }

    private static JsonNode? Followed(JsonObject state, string tx) =>
        state["tracked"]!.AsArray().FirstOrDefault(t => Is(t, tx))?.DeepClone();

    private static bool LetGo(JsonObject state, string tx, long head) =>
        (long)state["nextBlock"]! > head && Followed(state, tx) is null && !state["orphaned"]!.AsArray().Any(o => Is(o, tx));

    private static bool Is(JsonNode? followed, string tx) =>
        string.Equals((string?)followed!["deposit"]!["transactionHash"], tx, StringComparison.OrdinalIgnoreCase);

    private async Task<long> BalanceAsync(string accountId)
    {
        var account = await fixture.Api.GetAsync($"/v1/accounts/{accountId}");
        Assert.True(account.IsSuccess, account.ToString());
        return account.Json.GetProperty("balance").GetProperty("available").GetInt64();
    }

    private async Task<JsonObject> WatcherStateAsync() =>
        await StoredWatcherStateAsync() ?? throw new InvalidOperationException("The watcher has written no state.");

    /// <summary>The watcher's stored state; null before its first write.</summary>
    private async Task<JsonObject?> StoredWatcherStateAsync()
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grain_state WHERE grain_type = 'chainwatcher' AND grain_key = @key AND state_name = 'chain-watcher'";
        AddKey(command);
        return await command.ExecuteScalarAsync(Ct) is string payload ? JsonNode.Parse(payload)!.AsObject() : null;
    }

    private async Task WriteWatcherStateAsync(JsonObject state)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE grain_state SET payload = @payload, version = version + 1 WHERE grain_type = 'chainwatcher' AND grain_key = @key AND state_name = 'chain-watcher'";
        AddKey(command);
        var payload = command.CreateParameter();
        payload.ParameterName = "payload";
        payload.Value = state.ToJsonString();
        command.Parameters.Add(payload);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }

    private static void AddKey(System.Data.Common.DbCommand command)
    {
        var key = command.CreateParameter();
        key.ParameterName = "key";
        key.Value = ChainSiloFixture.ChainId.ToString(CultureInfo.InvariantCulture);
        command.Parameters.Add(key);
    }
}
