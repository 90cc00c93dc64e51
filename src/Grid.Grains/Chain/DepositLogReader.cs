using System.Globalization;
using Grid.Chain.Abi;
using Grid.Chain.Addresses;
using Grid.Chain.Primitives;
using Grid.Chain.Rpc;
using Grid.Contracts.Chain;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Chain;

/// <summary>
/// Reads the deposits in a block range: the deposit contract's <c>Deposited</c> events, and the configured tokens'
/// <c>Transfer</c>s to the treasury. A transfer from the deposit contract is the forwarding of a contract deposit
/// (counted by its <c>Deposited</c> event), so it is skipped; so is a contract deposit of a token the chain does
/// not take, which has no rate and must never be credited.
/// </summary>
public sealed class DepositLogReader(ILogger<DepositLogReader> logger)
{
    public static readonly Hash32 DepositedTopic = AbiSignatures.EventTopic("Deposited(address,address,uint256,bytes32)");
    public static readonly Hash32 TransferTopic = AbiSignatures.EventTopic("Transfer(address,address,uint256)");

    public Task<IReadOnlyList<DepositLog>> ReadAsync(WatchedChain chain, ulong fromBlock, ulong toBlock, CancellationToken cancellationToken) =>
        ReadAsync(chain, fromBlock, toBlock, blockHash: null, cancellationToken);

    /// <summary>The deposits of one block, asked for by its hash: a node that does not have the block fails the read.</summary>
    public Task<IReadOnlyList<DepositLog>> ReadBlockAsync(WatchedChain chain, ChainBlock block, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(block);
        return ReadBlockAsync(chain, block.Number, block.Hash, cancellationToken);
    }

    /// <summary>The deposits in block <paramref name="number"/>, read by its <paramref name="hash"/>.</summary>
    public Task<IReadOnlyList<DepositLog>> ReadBlockAsync(WatchedChain chain, ulong number, Hash32 hash, CancellationToken cancellationToken) =>
        ReadAsync(chain, number, number, hash, cancellationToken);

    /// <summary>
    /// The deposits in block <paramref name="number"/> from its receipts (eth_getBlockReceipts by <paramref name="hash"/>),
    /// keyed as a scan keys them: for a block with more matching logs than the node gives in one eth_getLogs answer (many
    /// zero-value transfers to the treasury in one block would otherwise stop the scan there for good). A node that does
    /// not have the block, or answers receipts of another, fails the read.
    /// </summary>
    public async Task<IReadOnlyList<DepositLog>> ReadBlockReceiptsAsync(WatchedChain chain, ulong number, Hash32 hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var receipts = await chain.Rpc.GetBlockReceiptsAsync(hash, cancellationToken)
            ?? throw new ChainRpcException(RpcFailureKind.Unavailable, $"eth_getBlockReceipts: the node has no block {hash}.");
        var deposits = new List<DepositLog>();
        foreach (var receipt in receipts)
        {
            if (receipt.BlockHash != hash || receipt.BlockNumber != number)
            {
                throw new ChainRpcException(RpcFailureKind.Malformed, $"eth_getBlockReceipts: asked for block {number} ({hash}), it gave a receipt of block {receipt.BlockNumber} ({receipt.BlockHash}).");
            }

            deposits.AddRange(FromReceipt(chain, receipt));
        }

        return deposits;
    }

    /// <summary>
    /// Which of this reader's two queries the block's logs bloom says may have logs in the block: the deposit contract's
    /// <c>Deposited</c> events (<see cref="ChainDepositKind.Contract"/>), and listed tokens' <c>Transfer</c>s to the
    /// treasury (<see cref="ChainDepositKind.Transfer"/>). Neither when the node sent no bloom.
    /// </summary>
    public static (bool Contract, bool Transfers) MayHoldDeposits(WatchedChain chain, ChainBlock block)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(block);
        if (block.LogsBloom is not { } bloom)
        {
            return (false, false);
        }

        return (
            bloom.MayContain(chain.DepositContract.Bytes) && bloom.MayContain(DepositedTopic.Bytes),
            chain.Tokens.Count > 0 && bloom.MayContain(TransferTopic.Bytes) && bloom.MayContain(Word(chain.Treasury))
                && chain.Tokens.Any(t => bloom.MayContain(t.Address.Bytes)));
    }

    private async Task<IReadOnlyList<DepositLog>> ReadAsync(WatchedChain chain, ulong fromBlock, ulong toBlock, Hash32? blockHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var logs = new List<ChainLog>(await chain.Rpc.GetLogsAsync(
            new LogFilter(fromBlock, toBlock, [chain.DepositContract], [[DepositedTopic]]) { BlockHash = blockHash }, cancellationToken));
        if (chain.Tokens.Count > 0)
        {
            var treasuryTopic = Hash32.FromBytes(Word(chain.Treasury));
            logs.AddRange(await chain.Rpc.GetLogsAsync(
                new LogFilter(fromBlock, toBlock, [.. chain.Tokens.Select(t => t.Address)], [[TransferTopic], null, [treasuryTopic]]) { BlockHash = blockHash },
                cancellationToken));
        }

        logs.Sort((a, b) => a.BlockNumber != b.BlockNumber ? a.BlockNumber.CompareTo(b.BlockNumber) : a.LogIndex.CompareTo(b.LogIndex));
        var deposits = new List<DepositLog>();
        var ordinals = new Dictionary<Hash32, int>();
        var seen = new Dictionary<(Hash32 Block, uint Index), ChainLog>();
        foreach (var log in logs)
        {
            if (log.Removed || log.BlockNumber < fromBlock || log.BlockNumber > toBlock)
            {
                continue;
            }

            if (!seen.TryAdd((log.BlockHash, log.LogIndex), log))
            {
                // Some nodes repeat a log in one answer: the same log once more is skipped (counted twice, it would be a
                // second deposit with the next ordinal), another log at the same place is an answer not to be believed.
                if (SameLog(seen[(log.BlockHash, log.LogIndex)], log))
                {
                    continue;
                }

                throw new InvalidOperationException($"The node answered two different logs at index {log.LogIndex} of block {log.BlockHash}.");
            }

            var deposit = Read(chain, log);
            if (deposit is null)
            {
                continue;
            }

            // Counted over the grid's own logs of the transaction: the same wherever a reorg puts it.
            var ordinal = ordinals.GetValueOrDefault(log.TransactionHash);
            ordinals[log.TransactionHash] = ordinal + 1;
            deposits.Add(new DepositLog(deposit with { Ordinal = ordinal }, log.BlockNumber, log.BlockHash.ToString()));
        }

        return deposits;
    }

    private static bool SameLog(ChainLog a, ChainLog b) =>
        a.TransactionHash == b.TransactionHash && a.Address == b.Address && a.Topics.SequenceEqual(b.Topics) && a.Data.AsSpan().SequenceEqual(b.Data);

    /// <summary>The deposits among a receipt's logs (a client's transaction hint), keyed as a scan keys them.</summary>
    public IReadOnlyList<DepositLog> FromReceipt(WatchedChain chain, TransactionReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(receipt);
        var deposits = new List<DepositLog>();
        if (!receipt.Succeeded)
        {
            return deposits;
        }

        foreach (var log in receipt.Logs.OrderBy(l => l.LogIndex))
        {
            if (IsWatched(chain, log) && Read(chain, log) is { } deposit)
            {
                deposits.Add(new DepositLog(deposit with { Ordinal = deposits.Count }, receipt.BlockNumber, receipt.BlockHash.ToString()));
            }
        }

        return deposits;
    }

    private static bool IsWatched(WatchedChain chain, ChainLog log) =>
        log.Topics.Count > 0
        && ((log.Address == chain.DepositContract && log.Topics[0] == DepositedTopic)
            || (log.Topics[0] == TransferTopic && log.Topics.Count == 3 && chain.FindToken(log.Address) is not null
                && AbiDecoder.AddressFromTopic(log.Topics[2]) == chain.Treasury));

    private ChainDeposit? Read(WatchedChain chain, ChainLog log)
    {
        try
        {
            if (log.Address == chain.DepositContract && log.Topics.Count == 4 && log.Topics[0] == DepositedTopic)
            {
                var payer = AbiDecoder.AddressFromTopic(log.Topics[1]);
                var token = AbiDecoder.AddressFromTopic(log.Topics[2]);
                var isEther = token.Bytes.IndexOfAnyExcept((byte)0) < 0;
                if (!isEther && chain.FindToken(token) is null)
                {
                    logger.LogWarning(
                        "Chain {ChainId}: deposit of unlisted token {Token} in transaction {Transaction} ignored", chain.ChainId, token, log.TransactionHash);
                    return null;
                }

                var amount = AbiDecoder.UInt256(log.Data, 0);
                return amount.IsZero ? null : new ChainDeposit(
                    chain.ChainId, log.TransactionHash.ToString(), 0, ChainDepositKind.Contract, payer.ToString(),
                    isEther ? null : token.ToLowerHexString(), amount.ToString(CultureInfo.InvariantCulture), log.Topics[3].ToString());
            }

            if (log.Topics.Count == 3 && log.Topics[0] == TransferTopic && chain.FindToken(log.Address) is not null)
            {
                var from = AbiDecoder.AddressFromTopic(log.Topics[1]);
                var to = AbiDecoder.AddressFromTopic(log.Topics[2]);
                var amount = AbiDecoder.UInt256(log.Data, 0);
                if (to != chain.Treasury || from == chain.DepositContract || amount.IsZero)
                {
                    return null;
                }

                return new ChainDeposit(
                    chain.ChainId, log.TransactionHash.ToString(), 0, ChainDepositKind.Transfer, from.ToString(),
                    log.Address.ToLowerHexString(), amount.ToString(CultureInfo.InvariantCulture), null);
            }
        }
        catch (FormatException malformed)
        {
            logger.LogWarning("Chain {ChainId}: malformed log in transaction {Transaction} ignored: {Problem}", chain.ChainId, log.TransactionHash, malformed.Message);
        }

        return null;
    }

    private static byte[] Word(EthereumAddress address)
    {
        var word = new byte[32];
        address.Bytes.CopyTo(word.AsSpan(12));
        return word;
    }
}
