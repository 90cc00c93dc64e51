using System.Net;
using Grid.Chain.TestKit.Abi;
using Grid.Chain.TestKit.Contracts;
using Grid.Chain.TestKit.Rpc;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// Races between the watcher's scan and the chain. A block replaced while the watcher reads its logs: the node answers
/// eth_getLogs from the old block (no deposit), then a reorg puts a block with a deposit at that height before the
/// watcher reads the block headers; the watcher must see that the blocks changed under its read and scan them again,
/// not move its cursor past a deposit it never saw. A node whose log index lags its headers (a load-balanced provider):
/// the watcher must not move past a block whose bloom promises deposits the logs left out. And a client's transaction
/// hint that runs ahead of the scan: the scan confirms what it finds, and takes back a sighting whose block a reorg
/// replaced before the scan got there.
/// </summary>
public sealed class ScanRaceTests(ChainSiloFixture fixture) : IClassFixture<ChainSiloFixture>
{
    private const int N = ChainSiloFixture.Confirmations;

    private readonly ChainRecords _records = new(fixture);
    private readonly ChainApi _chain = new(fixture.Api);
    private readonly ChainPayer _payer = new(fixture.Chain);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_deposit_in_a_block_that_replaced_one_during_the_log_read_is_still_credited_once()
    {
        var payer = fixture.Chain.DevAccounts[1];
        var client = fixture.Chain.Client;
        await client.MineAsync(1, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the watcher catches up to the head

        var hold = fixture.Proxy.HoldNextLogAnswer();
        await client.MineAsync(1, Ct); // an empty block: its logs (none) are read and kept back
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(30));
        var height = await client.GetBlockNumberAsync(Ct);

        var data = AbiCodec.EncodeCall("deposit(bytes32)", AbiWord.Bytes32(ChainDeployment.Reference("race")));
        await client.ReorgAsync(1, [ReorgInclusion.Unsigned(new TransactionRequest(payer, fixture.Chain.Contracts.Deposit, 70_000_000_000_000, data, 300_000), 0)], Ct);
        var deposit = Assert.Single((await client.GetBlockAsync(height, Ct))!.TransactionHashes);
        hold.Release();

        await client.MineAsync(N, Ct);
        await _records.WaitForCreditsAsync([deposit], 1);
        var account = ChainRecords.WalletAccount(payer);
        var entry = Assert.Single(await _records.DepositsAsync(account));
        Assert.Equal((deposit, 70L), (entry.GetProperty("reference").GetString(), entry.GetProperty("amount").GetInt64())); // 10^12 wei a credit
        Assert.Single(await _records.CreditsOfAsync([deposit]));
    }

    [Fact]
    public async Task A_hinted_payment_whose_block_is_reorged_out_before_the_scan_reaches_it_goes_back_to_pending()
    {
        var payer = fixture.Chain.DevAccounts[2];
        var (intent, paymentId) = await IntentAsync(2, 400);
        var client = fixture.Chain.Client;
        var block = await client.GetBlockNumberAsync(Ct) + 1;

        // The scan cannot read the payment's block (and is free between its failed tries to take the hint).
        var refusal = fixture.Proxy.RefuseLogReads(block);
        try
        {
            var tx = await _payer.PayIntentAsync(payer, intent);
            Assert.Equal(block, (await client.GetReceiptAsync(tx, Ct))!.BlockNumber);
            var hint = await fixture.Api.PostAsync($"/v1/payments/{paymentId}/tx", new { txHash = tx });
            Assert.Equal(HttpStatusCode.Accepted, hint.Status);
            Assert.Equal("confirming", hint.Json.GetProperty("status").GetString());
            Assert.Equal(1, hint.Json.GetProperty("confirmations").GetInt32());

            await client.ReorgAsync(1, Ct); // the payment's block is replaced by an empty one
            Assert.Null(await client.GetReceiptAsync(tx, Ct));
        }
        finally
        {
            refusal.Release();
        }

        await _chain.WaitForAsync(paymentId, "pending", 0);
        await client.MineAsync(2 * N, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var payment = await _chain.PaymentAsync(paymentId);
        Assert.Equal("pending", payment.GetProperty("status").GetString());
        Assert.Equal(0, payment.GetProperty("credited").GetInt64());
        Assert.Empty(await _records.DepositsAsync(ChainRecords.WalletAccount(payer)));
        Assert.DoesNotContain(await _records.EventsAsync(), e => e.PaymentId == paymentId);
    }

    [Fact]
    public async Task A_hinted_payment_the_scan_then_finds_is_credited_once_and_never_dropped()
    {
        var payer = fixture.Chain.DevAccounts[3];
        var (intent, paymentId) = await IntentAsync(3, 500);
        var client = fixture.Chain.Client;
        var refusal = fixture.Proxy.RefuseLogReads(await client.GetBlockNumberAsync(Ct) + 1);
        string tx;
        try
        {
            tx = await _payer.PayIntentAsync(payer, intent);
            var hint = await fixture.Api.PostAsync($"/v1/payments/{paymentId}/tx", new { txHash = tx });
            Assert.Equal("confirming", hint.Json.GetProperty("status").GetString());
            await client.MineAsync(N, Ct); // deep enough, but only the scan may say so
            Assert.Equal("confirming", (await _chain.PaymentAsync(paymentId)).GetProperty("status").GetString());
        }
        finally
        {
            refusal.Release();
        }

        var credited = await _chain.WaitForAsync(paymentId, "credited");
        Assert.Equal(500, credited.GetProperty("credited").GetInt64());
        await client.MineAsync(2 * N, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("credited", (await _chain.PaymentAsync(paymentId)).GetProperty("status").GetString());
        Assert.Equal(500, Assert.Single(await _records.DepositsAsync(ChainRecords.WalletAccount(payer))).GetProperty("amount").GetInt64());
        Assert.Single(await _records.CreditsOfAsync([tx]));
    }

    [Fact]
    public async Task A_deposit_left_out_of_a_lagging_nodes_logs_is_not_scanned_past_while_the_blocks_before_it_are_and_is_credited_once_they_catch_up()
    {
        var (early, earlyId) = await IntentAsync(5, 500);
        var (late, lateId) = await IntentAsync(4, 600);
        var client = fixture.Chain.Client;
        var earlyBlock = await client.GetBlockNumberAsync(Ct) + 1;

        // The scan waits before the first payment's block, so that one range read takes in both payments.
        var refusal = fixture.Proxy.RefuseLogReads(earlyBlock);
        var lag = fixture.Proxy.LagLogs(earlyBlock + 1);
        string earlyTx, lateTx;
        try
        {
            try
            {
                earlyTx = await _payer.PayIntentAsync(fixture.Chain.DevAccounts[5], early);
                lateTx = await _payer.PayIntentAsync(fixture.Chain.DevAccounts[4], late);
                Assert.Equal(earlyBlock + 1, (await client.GetReceiptAsync(lateTx, Ct))!.BlockNumber);
                await client.MineAsync(N, Ct);
            }
            finally
            {
                refusal.Release();
            }

            // The node's logs lack the second payment's block: the first is credited, the second not passed by.
            await lag.Held.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(500, (await _chain.WaitForAsync(earlyId, "credited")).GetProperty("credited").GetInt64());
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal("pending", (await _chain.PaymentAsync(lateId)).GetProperty("status").GetString());
        }
        finally
        {
            lag.Release();
        }

        Assert.Equal(600, (await _chain.WaitForAsync(lateId, "credited")).GetProperty("credited").GetInt64());
        await client.MineAsync(N, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await _records.CreditsOfAsync([earlyTx]));
        Assert.Single(await _records.CreditsOfAsync([lateTx]));
        Assert.Equal(600, Assert.Single(await _records.DepositsAsync(ChainRecords.WalletAccount(fixture.Chain.DevAccounts[4]))).GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task A_deposit_scanned_before_a_lagging_block_counts_the_blocks_read_after_that_block_and_is_credited_while_the_lag_lasts()
    {
        var payer = fixture.Chain.DevAccounts[9];
        var (early, earlyId) = await IntentAsync(9, 300);
        var (late, lateId) = await IntentAsync(9, 400);
        var client = fixture.Chain.Client;

        // The scan reads the first payment's block on its own (at the head then), in a range before the lag.
        var earlyTx = await _payer.PayIntentAsync(payer, early);
        await _chain.WaitForAsync(earlyId, "confirming", confirmations: 1);
        var lag = fixture.Proxy.LagLogs(await client.GetBlockNumberAsync(Ct) + 1);
        string lateTx;
        try
        {
            lateTx = await _payer.PayIntentAsync(payer, late);
            await client.MineAsync(N, Ct);
            await lag.Held.WaitAsync(TimeSpan.FromSeconds(30));

            // The blocks after the lagging one were read and linked by hash: the first payment is deep enough by them.
            Assert.Equal(300, (await _chain.WaitForAsync(earlyId, "credited")).GetProperty("credited").GetInt64());
            Assert.Equal("pending", (await _chain.PaymentAsync(lateId)).GetProperty("status").GetString());
        }
        finally
        {
            lag.Release();
        }

        Assert.Equal(400, (await _chain.WaitForAsync(lateId, "credited")).GetProperty("credited").GetInt64());
        Assert.Single(await _records.CreditsOfAsync([earlyTx]));
        Assert.Single(await _records.CreditsOfAsync([lateTx]));
        var deposits = await _records.DepositsAsync(ChainRecords.WalletAccount(payer));
        Assert.Equal([300L, 400L], deposits.Select(d => d.GetProperty("amount").GetInt64()).Order());
    }

    [Fact]
    public async Task A_block_whose_logs_cannot_be_read_by_its_hash_is_not_scanned_past_while_the_read_fails()
    {
        var (intent, paymentId) = await IntentAsync(6, 700);
        var client = fixture.Chain.Client;
        var block = await client.GetBlockNumberAsync(Ct) + 1;
        var lag = fixture.Proxy.LagLogs(block);
        string tx;
        try
        {
            // Reads naming no block number (by block hash, or by tag) fail: the check of the lagging answer cannot be made.
            var byHashRefused = fixture.Proxy.RefuseLogReads(long.MaxValue);
            try
            {
                tx = await _payer.PayIntentAsync(fixture.Chain.DevAccounts[6], intent);
                await client.MineAsync(N, Ct);
                // A few ticks' failed checks, then released: 30 in a row would make the watcher stop checking (see the
                // next test), and a fixed wait on a loaded machine could let that many pass.
                await Eventually.TrueAsync(() => byHashRefused.Refused >= 6, "three ticks failed to check the block", within: TimeSpan.FromSeconds(30));
            }
            finally
            {
                byHashRefused.Release();
            }

            Assert.Equal("pending", (await _chain.PaymentAsync(paymentId)).GetProperty("status").GetString()); // not credited from a check it could not make

            // The by-hash read works again and finds the deposit the lagging answer lacks: still not passed by.
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal("pending", (await _chain.PaymentAsync(paymentId)).GetProperty("status").GetString());
        }
        finally
        {
            lag.Release();
        }

        Assert.Equal(700, (await _chain.WaitForAsync(paymentId, "credited")).GetProperty("credited").GetInt64());
        Assert.Single(await _records.CreditsOfAsync([tx]));
    }

    [Fact]
    public async Task A_lagging_node_that_lacks_new_blocks_for_longer_than_the_watcher_tolerates_failed_reads_is_still_never_scanned_past()
    {
        var (intent, paymentId) = await IntentAsync(7, 800);
        var client = fixture.Chain.Client;
        var block = await client.GetBlockNumberAsync(Ct) + 1;
        // A backend behind the others: no logs for the new blocks in range answers, and reads of those blocks by their
        // hashes fail, while older blocks read as ever. Held far past the 30 failed reads after which a node is taken
        // for one that cannot read by hash at all: this one can, so it is a lag, and the deposit's block is not passed.
        var lag = fixture.Proxy.LagLogs(block, blocksMissing: true);
        string tx;
        try
        {
            tx = await _payer.PayIntentAsync(fixture.Chain.DevAccounts[7], intent);
            await client.MineAsync(N, Ct);
            await Eventually.TrueAsync(() => lag.BlockReadsRefused >= 30, "the watcher failed 30 reads of the lagging block by its hash", within: TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(3)); // some 15 more ticks
            Assert.Equal("pending", (await _chain.PaymentAsync(paymentId)).GetProperty("status").GetString());
        }
        finally
        {
            lag.Release();
        }

        Assert.Equal(800, (await _chain.WaitForAsync(paymentId, "credited")).GetProperty("credited").GetInt64());
        Assert.Single(await _records.CreditsOfAsync([tx]));
    }

    [Fact]
    public async Task Confirmations_are_counted_to_the_last_block_scanned_not_to_a_head_the_node_cannot_show()
    {
        var (intent, paymentId) = await IntentAsync(8, 900);
        var client = fixture.Chain.Client;
        var tx = await _payer.PayIntentAsync(fixture.Chain.DevAccounts[8], intent); // mined at once: one confirmation
        await client.MineAsync(N - 2, Ct);
        await _chain.WaitForAsync(paymentId, "confirming", confirmations: N - 1);

        // A backend on another fork says the head is 20 blocks further on, and serves none of those blocks: the scan
        // cannot link them, so they confirm nothing (counted from that head, the deposit would be credited now).
        var ahead = fixture.Proxy.HoldHeadAt(await client.GetBlockNumberAsync(Ct) + 20);
        try
        {
            await Eventually.TrueAsync(() => ahead.Answered >= 10, "ten ticks saw the head the node cannot show", within: TimeSpan.FromSeconds(30));
            var seen = await _chain.PaymentAsync(paymentId);
            Assert.Equal(("confirming", N - 1), (seen.GetProperty("status").GetString(), seen.GetProperty("confirmations").GetInt32()));
        }
        finally
        {
            ahead.Release();
        }

        await client.MineAsync(1, Ct);
        Assert.Equal(900, (await _chain.WaitForAsync(paymentId, "credited")).GetProperty("credited").GetInt64());
        Assert.Single(await _records.CreditsOfAsync([tx]));
    }

    private async Task<(System.Text.Json.JsonElement Intent, string PaymentId)> IntentAsync(int payer, long credits)
    {
        var intent = await _chain.IntentAsync(fixture.Chain.DevAccounts[payer], "ETH", credits);
        return (intent, intent.GetProperty("paymentId").GetString()!);
    }
}
