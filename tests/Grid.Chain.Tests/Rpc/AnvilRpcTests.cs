using System.Numerics;
using System.Text.Json.Nodes;
using Grid.Chain.Abi;
using Grid.Chain.Addresses;
using Grid.Chain.Primitives;
using Grid.Chain.Rpc;
using Grid.Chain.Tests.Support;
using Xunit;

namespace Grid.Chain.Tests.Rpc;

/// <summary>The JSON-RPC client against a real node: a fresh Anvil shared by the tests of this class.</summary>
public sealed class AnvilRpcTests(AnvilNode anvil) : IClassFixture<AnvilNode>, IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_chain_id_is_anvils()
    {
        Assert.Equal(31337UL, await Client().GetChainIdAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_block_number_follows_mined_blocks()
    {
        var client = Client();
        var before = await client.GetBlockNumberAsync(CancellationToken.None);
        await anvil.RpcAsync("anvil_mine", "0x5");

        Assert.Equal(before + 5, await client.GetBlockNumberAsync(CancellationToken.None));
        var latest = await client.GetBlockAsync(BlockTag.Latest, CancellationToken.None);
        Assert.Equal(before + 5, latest!.Number);
    }

    [Fact]
    public async Task A_batch_of_blocks_comes_back_in_the_order_asked_with_parents_linking()
    {
        var client = Client();
        await anvil.RpcAsync("anvil_mine", "0x4");
        var head = await client.GetBlockNumberAsync(CancellationToken.None);
        ulong[] numbers = [head, 2, 0, 1_000_000, 1, head - 1];

        var blocks = await client.GetBlocksAsync(numbers, CancellationToken.None);

        Assert.Equal(numbers.Length, blocks.Count);
        Assert.Null(blocks[3]);
        foreach (var (number, block) in numbers.Zip(blocks).Where(pair => pair.First != 1_000_000))
        {
            Assert.Equal(number, block!.Number);
            var single = await client.GetBlockAsync(BlockTag.Number(number), CancellationToken.None);
            Assert.Equal(single, block);
        }

        Assert.Equal(Hash32.Zero, blocks[2]!.ParentHash);
        Assert.Equal(blocks[4]!.Hash, blocks[1]!.ParentHash);
        Assert.Equal(blocks[5]!.Hash, blocks[0]!.ParentHash);
        Assert.True(blocks[0]!.Timestamp >= blocks[5]!.Timestamp);
        Assert.InRange(blocks[0]!.Timestamp, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
    }

    [Fact]
    public async Task Batches_are_split_at_the_batch_size()
    {
        var client = Client(new EthereumRpcOptions { MaxBatchSize = 2 });
        await anvil.RpcAsync("anvil_mine", "0x5");
        ulong[] numbers = [5, 4, 3, 2, 1];

        var blocks = await client.GetBlocksAsync(numbers, CancellationToken.None);

        Assert.Equal(numbers, blocks.Select(block => block!.Number));
        Assert.Empty(await client.GetBlocksAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task A_block_that_does_not_exist_is_null()
    {
        Assert.Null(await Client().GetBlockAsync(BlockTag.Number(1_000_000_000), CancellationToken.None));
    }

    [Fact]
    public async Task The_finalized_and_safe_tags_name_blocks()
    {
        var client = Client();
        var head = await client.GetBlockNumberAsync(CancellationToken.None);
        Assert.InRange((await client.GetBlockAsync(BlockTag.Finalized, CancellationToken.None))!.Number, 0UL, head);
        Assert.InRange((await client.GetBlockAsync(BlockTag.Safe, CancellationToken.None))!.Number, 0UL, head);
    }

    [Fact]
    public async Task An_ether_transfer_has_a_successful_receipt_and_no_logs()
    {
        var client = Client();
        var (from, to) = await TwoDevAccountsAsync();
        var before = await client.GetBlockNumberAsync(CancellationToken.None);

        var hash = await SendTransactionAsync(new JsonObject { ["from"] = from.ToLowerHexString(), ["to"] = to.ToLowerHexString(), ["value"] = "0xde0b6b3a7640000" });
        var receipt = await MinedReceiptAsync(client, hash);

        Assert.Equal(hash, receipt.TransactionHash);
        Assert.True(receipt.Succeeded);
        Assert.Equal(from, receipt.From);
        Assert.Equal(to, receipt.To);
        Assert.Empty(receipt.Logs);
        var block = await client.GetBlockAsync(BlockTag.Number(receipt.BlockNumber), CancellationToken.None);
        Assert.Equal(block!.Hash, receipt.BlockHash);
        Assert.True(receipt.BlockNumber > before);

        // A plain transfer emits nothing: no logs from any contract in the blocks since.
        var head = await client.GetBlockNumberAsync(CancellationToken.None);
        Assert.Empty(await client.GetLogsAsync(new LogFilter(before + 1, head, [], []), CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_transaction_has_no_receipt()
    {
        var hash = Hash32.FromBytes(Enumerable.Repeat((byte)0xAB, 32).ToArray());
        Assert.Null(await Client().GetTransactionReceiptAsync(hash, CancellationToken.None));
    }

    [Fact]
    public async Task Calling_an_address_without_code_returns_no_bytes()
    {
        var (_, to) = await TwoDevAccountsAsync();
        var data = AbiEncoder.ForFunction("balanceOf(address)").Address(to).Build();

        Assert.Empty(await Client().CallAsync(to, data, BlockTag.Latest, CancellationToken.None));
    }

    [Fact]
    public async Task A_call_that_reverts_is_rejected_with_code_3()
    {
        // PUSH1 0 PUSH1 0 REVERT: reverts every call with no reason.
        var reverter = EthereumAddress.Parse("0x00000000000000000000000000000000000000a1");
        await anvil.RpcAsync("anvil_setCode", reverter.ToLowerHexString(), "0x60006000fd");

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client().CallAsync(reverter, new byte[4], BlockTag.Latest, CancellationToken.None));

        Assert.Equal(RpcFailureKind.Rejected, error.Kind);
        Assert.Equal(3, error.Code);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task Logs_of_a_transfer_event_are_found_by_address_and_topics_and_decode()
    {
        var client = Client();
        var (from, to) = await TwoDevAccountsAsync();
        var amount = (BigInteger.One << 200) + 12345;
        var transfer = AbiSignatures.EventTopic("Transfer(address,address,uint256)");
        var emitter = EthereumAddress.Parse("0x00000000000000000000000000000000000000e1");
        await anvil.RpcAsync("anvil_setCode", emitter.ToLowerHexString(), HexQuantity.EncodeData(TransferEmitterCode(transfer, from, to, amount)));

        var hash = await SendTransactionAsync(new JsonObject { ["from"] = from.ToLowerHexString(), ["to"] = emitter.ToLowerHexString(), ["gas"] = "0x30000" });
        var receipt = await MinedReceiptAsync(client, hash);

        Assert.True(receipt.Succeeded);
        var log = Assert.Single(receipt.Logs);
        Assert.Equal(emitter, log.Address);
        Assert.Equal([transfer, AddressTopic(from), AddressTopic(to)], log.Topics);
        Assert.Equal(from, AbiDecoder.AddressFromTopic(log.Topics[1]));
        Assert.Equal(to, AbiDecoder.AddressFromTopic(log.Topics[2]));
        Assert.Equal(amount, AbiDecoder.UInt256(log.Data, 0));
        Assert.Equal(receipt.BlockHash, log.BlockHash);
        Assert.Equal(hash, log.TransactionHash);
        Assert.False(log.Removed);

        var block = receipt.BlockNumber;
        var found = await client.GetLogsAsync(new LogFilter(block, block, [emitter], [[transfer], null, [AddressTopic(to), AddressTopic(from)]]), CancellationToken.None);
        AssertSameLog(log, Assert.Single(found));

        Assert.Empty(await client.GetLogsAsync(new LogFilter(block, block, [from], []), CancellationToken.None));
        Assert.Empty(await client.GetLogsAsync(new LogFilter(block, block, [], [[AbiSignatures.EventTopic("Approval(address,address,uint256)")]]), CancellationToken.None));
        Assert.Empty(await client.GetLogsAsync(new LogFilter(block, block, [], [null, [AddressTopic(to)]]), CancellationToken.None));
        Assert.Empty(await client.GetLogsAsync(new LogFilter(0, block - 1, [emitter], []), CancellationToken.None));

        // By the block's hash: the same log; a hash the node does not know is an error, never an empty answer.
        var byHash = await client.GetLogsAsync(new LogFilter(block, block, [emitter], [[transfer]]) { BlockHash = receipt.BlockHash }, CancellationToken.None);
        AssertSameLog(log, Assert.Single(byHash));
        await Assert.ThrowsAsync<ChainRpcException>(() =>
            client.GetLogsAsync(new LogFilter(block, block, [emitter], []) { BlockHash = Hash32.FromBytes(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()) }, CancellationToken.None));

        // The node's logs bloom holds the log's address and topics; the bloom of a block without logs holds nothing.
        var bloom = (await client.GetBlockAsync(BlockTag.Number(block), CancellationToken.None))!.LogsBloom!;
        Assert.True(bloom.MayContain(emitter.Bytes));
        Assert.True(bloom.MayContain(transfer.Bytes));
        Assert.True(bloom.MayContain(AddressTopic(to).Bytes));
        Assert.False(bloom.MayContain(AbiSignatures.EventTopic("Approval(address,address,uint256)").Bytes));
        Assert.False(bloom.MayContain(from.Bytes));
        await anvil.RpcAsync("anvil_mine", "0x1");
        var empty = (await client.GetBlockAsync(BlockTag.Number(block + 1), CancellationToken.None))!.LogsBloom!;
        Assert.False(empty.MayContain(emitter.Bytes));
        Assert.False(empty.MayContain(transfer.Bytes));
    }

    private static void AssertSameLog(ChainLog expected, ChainLog actual)
    {
        Assert.Equal(expected.Address, actual.Address);
        Assert.Equal(expected.Topics, actual.Topics);
        Assert.Equal(expected.Data, actual.Data);
        Assert.Equal(expected.BlockNumber, actual.BlockNumber);
        Assert.Equal(expected.BlockHash, actual.BlockHash);
        Assert.Equal(expected.TransactionHash, actual.TransactionHash);
        Assert.Equal(expected.TransactionIndex, actual.TransactionIndex);
        Assert.Equal(expected.LogIndex, actual.LogIndex);
        Assert.Equal(expected.Removed, actual.Removed);
    }

    private EthereumRpcClient Client(EthereumRpcOptions? options = null) =>
        new(_http, anvil.Endpoint, options ?? new EthereumRpcOptions(), TimeProvider.System);

    private async Task<(EthereumAddress From, EthereumAddress To)> TwoDevAccountsAsync()
    {
        var accounts = (await anvil.RpcAsync("eth_accounts"))!.AsArray();
        return (EthereumAddress.Parse(accounts[0]!.GetValue<string>()), EthereumAddress.Parse(accounts[1]!.GetValue<string>()));
    }

    // Anvil's dev accounts are unlocked, so it signs the transaction itself.
    private async Task<Hash32> SendTransactionAsync(JsonObject transaction) =>
        Hash32.Parse((await anvil.RpcAsync("eth_sendTransaction", transaction))!.GetValue<string>());

    // Anvil mines a block per transaction, but just after answering eth_sendTransaction: until then there is no receipt.
    private static async Task<TransactionReceipt> MinedReceiptAsync(EthereumRpcClient client, Hash32 hash)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (await client.GetTransactionReceiptAsync(hash, CancellationToken.None) is { } receipt)
            {
                return receipt;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Anvil mined no block with {hash} within 10 s.");
            await Task.Delay(20);
        }
    }

    private static Hash32 AddressTopic(EthereumAddress address)
    {
        var word = new byte[32];
        address.Bytes.CopyTo(word.AsSpan(12));
        return Hash32.FromBytes(word);
    }

    // Runtime code that emits Transfer(from, to, amount) on any call, as an ERC-20 would, then stops:
    // MSTORE the amount at 0, then LOG3(offset 0, size 32, topic0, topic1, topic2).
    private static byte[] TransferEmitterCode(Hash32 topic, EthereumAddress from, EthereumAddress to, BigInteger amount)
    {
        const byte Push32 = 0x7f, Push1 = 0x60, MStore = 0x52, Log3 = 0xa3, Stop = 0x00;
        var amountWord = AbiEncoder.ForFunction("f()").UInt256(amount).Build()[4..];
        var code = new List<byte> { Push32 };
        code.AddRange(amountWord);
        code.AddRange([Push1, 0x00, MStore]);
        foreach (var word in new[] { AddressTopic(to), AddressTopic(from), topic })
        {
            code.Add(Push32);
            code.AddRange(word.Bytes.ToArray());
        }

        code.AddRange([Push1, 0x20, Push1, 0x00, Log3, Stop]);
        return [.. code];
    }
}
