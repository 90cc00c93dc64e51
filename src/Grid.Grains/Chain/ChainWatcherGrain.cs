using System.Globalization;
using Grid.Chain.Primitives;
using Grid.Chain.Rpc;
using Grid.Contracts.Chain;
using Grid.Runtime;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Chain;

/// <summary>
/// Watches one chain (key: chain id). Each tick it checks that the last block it scanned is still on the chain
/// (else it walks back through the kept hashes to the fork and rescans from there), scans forward to the head in
/// adaptive eth_getLogs ranges, and tells each deposit's payment what it saw: a sighting while the block is not
/// deep enough, a confirmation once it is. A deposit whose block a reorg removed is found again on the new chain,
/// or, once the scan reaches the new head without it, dropped (not credited yet) or reversed (credited).
/// The cursor, the kept hashes and the followed deposits are written after every range, before the cursor moves
/// on; payments are idempotent, so a restart that repeats a range repeats nothing. A range's deposits are also written
/// down before their payments hear of them; a stop before the range's end leaves them past the cursor, where the next
/// tick takes them for a reorg's orphans (found again, or let go) rather than trust blocks it never linked. A client's transaction hint is a
/// sighting ahead of the scan, written down first, so the scan either finds its deposit or drops the sighting.
/// </summary>
public sealed class ChainWatcherGrain(
    [PersistentState("chain-watcher")] IPersistentState<ChainWatcherState> state,
    ChainCatalog catalog,
    DepositLogReader reader,
    ChainWatcherMetrics metrics,
    ILogger<ChainWatcherGrain> logger) : Grain, IChainWatcherGrain, IRemindable
{
    public const string KeepAliveReminder = "chain-watcher-keep-alive";

    /// <summary>Ranges scanned per tick at most; a long catch-up goes on at the next tick.</summary>
    private const int MaxRangesPerTick = 256;

    /// <summary>Payments told at once; a range's sightings for one payment always go in order.</summary>
    private const int MaxConcurrentPayments = 16;

    /// <summary>A range that returned fewer logs than this is quiet: the next one may be twice as long.</summary>
    private const int QuietLogCount = 1_000;

    /// <summary>Hinted deposits kept at most until the scan reaches them; past it hints are ignored (the scan finds the deposits anyway).</summary>
    private const int MaxHinted = 1_000;

    /// <summary>
    /// Failed by-hash reads in a row, the oldest kept block's failing too, after which this activation takes the node for
    /// one that does not serve them and stops checking log answers against blooms (loudly): better than a scan that never
    /// moves again. A node that still reads the old block lags instead, and is waited for however long it takes.
    /// </summary>
    private const int MaxBlockCheckFailures = 30;

    /// <summary>How long a node's chain id, once checked, is taken as still right (a provider's endpoint can be moved).</summary>
    private static readonly TimeSpan ChainIdRecheck = TimeSpan.FromMinutes(5);

    private IDisposable? _timer;
    private string? _lastError;
    private DateTimeOffset? _chainIdConfirmedAt;
    private bool _contractsChecked;
    private ulong _head;
    private int _blockCheckFailures;
    private bool _blockCheckOff;
    private bool _pausedAtCap; // at MaxTrackedDeposits: said once when the pause begins and once when it ends

    /// <summary>Something persisted changed since the last write: a tick that found nothing new writes nothing.</summary>
    private bool _unsaved;

    private ChainWatcherState State => state.State;

    private WatchedChain Chain => catalog.Get(ulong.Parse(GrainId.Key, NumberStyles.None, CultureInfo.InvariantCulture));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var chain = Chain; // an unconfigured chain id has no watcher
        _timer = Context.RegisterTimer(TickAsync, TimeSpan.Zero, chain.Settings.PollInterval);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public async Task<ChainWatcherView> Start()
    {
        await Context.RegisterOrUpdateReminderAsync(KeepAliveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        return View();
    }

    public Task<ChainWatcherView> Get() => Task.FromResult(View());

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask; // being active is the point

    public async Task<int> CheckTransaction(string transactionHash)
    {
        var chain = Chain;
        if (!Hash32.TryParse(transactionHash, out var hash))
        {
            throw new ArgumentException("Not a transaction hash.", nameof(transactionHash));
        }

        await RequireChainIdAsync(chain, CancellationToken.None);
        var receipt = await chain.Rpc.GetTransactionReceiptAsync(hash, CancellationToken.None);
        if (receipt is null)
        {
            return 0;
        }

        var deposits = reader.FromReceipt(chain, receipt);
        if (deposits.Count == 0)
        {
            return 0;
        }

        if (State.NextBlock is not { } next || receipt.BlockNumber < next)
        {
            // The scan has been there: it followed the deposit already, or never will (a block before the watcher's
            // start). A sighting nothing would ever confirm or take back would leave its payment confirming for good.
            logger.LogInformation(
                "Chain {ChainId}: hint for {Transaction} in block {Block} ignored; the scan is at {Next}",
                GrainId.Key, transactionHash, receipt.BlockNumber, State.NextBlock);
            return 0;
        }

        var head = await chain.Rpc.GetBlockNumberAsync(CancellationToken.None);
        var block = await chain.Rpc.GetBlockAsync(BlockTag.Number(receipt.BlockNumber), CancellationToken.None);
        if (block is null || block.Hash != receipt.BlockHash)
        {
            return 0; // the receipt's block is not on the chain the node follows now
        }

        if (State.Hinted.Count + deposits.Count > MaxHinted)
        {
            logger.LogWarning("Chain {ChainId}: {Count} hinted deposits wait for the scan; hint for {Transaction} ignored", GrainId.Key, State.Hinted.Count, transactionHash);
            return 0;
        }

        // Only ever a sighting: a credit waits for the scan to reach and confirm the block. Written down before any
        // payment hears of it, so the scan settles every sighting it did not make itself. A deposit the scan follows
        // already (maybe credited, in another block of another fork) is the scan's alone: the hint's drop, should the
        // scan not find it where the hint said, would otherwise take back a credit the chain still holds.
        var seen = deposits
            .Where(d => !IsFollowed(d.Deposit))
            .Select(d => new TrackedDeposit(d.Deposit, d.BlockNumber, d.BlockHash, block.Timestamp, PaymentFor(d.Deposit), false, false, 0))
            .ToList();
        State.Hinted.RemoveAll(h => seen.Any(s => SameDeposit(s.Deposit, h.Deposit)));
        State.Hinted.AddRange(seen);
        await SaveAsync();
        foreach (var deposit in seen)
        {
            await GrainFactory.GetGrain<IChainPaymentGrain>(deposit.PaymentId).Observe(Sighting(chain, deposit, head));
        }

        return seen.Count;
    }

    private bool IsFollowed(ChainDeposit deposit) =>
        State.Tracked.Exists(t => SameDeposit(t.Deposit, deposit)) || State.Orphaned.Exists(o => SameDeposit(o.Deposit, deposit));

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ScanAsync(cancellationToken);
            _lastError = null;
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            // The node or a payment failed this tick; everything done so far is written, the next tick goes on from there.
            _lastError = failed.Message;
            logger.LogWarning("Chain {ChainId}: scan stopped at block {Next}: {Error}", GrainId.Key, State.NextBlock, failed.Message);
        }

        Report();
    }

    /// <summary>Where the watcher is, as gauges for /metrics and the dashboard.</summary>
    private void Report()
    {
        var view = View();
        metrics.Report(view.ChainId, view.Head, view.Cursor, view.Pending, view.LastError is not null);
    }

    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        var chain = Chain;
        await RequireChainIdAsync(chain, cancellationToken);
        var head = await chain.Rpc.GetBlockNumberAsync(cancellationToken);
        ulong? finalized = chain.Settings.UseFinalized ? (await chain.Rpc.GetBlockAsync(BlockTag.Finalized, cancellationToken))?.Number : null;
        _head = head;
        if (State.NextBlock is null || State.LogRange == 0)
        {
            State.NextBlock ??= chain.Settings.StartBlock ?? head;
            State.LogRange = State.LogRange == 0 ? chain.Settings.InitialLogRange : State.LogRange;
            _unsaved = true;
        }

        OrphanUnscannedDeposits();
        if (State.Recent.Count > 0 && head < State.Recent[^1].Number)
        {
            // The node is behind blocks already scanned (a lagging or resyncing backend): its silence about them is no
            // reorg. Nothing moves until it has caught up.
            throw new ChainNodeBehindException($"the node's head {head} is below block {State.Recent[^1].Number}, scanned already; waiting for it to catch up");
        }

        if (State.Recent.Count > 0 && !await TipIsCanonicalAsync(chain, cancellationToken))
        {
            await RollBackAsync(chain, cancellationToken);
        }

        ulong linkedPastStop = 0;
        var maxTracked = chain.Settings.MaxTrackedDeposits;
        for (var ranges = 0; State.NextBlock <= head && ranges < MaxRangesPerTick && State.Tracked.Count < maxTracked; ranges++)
        {
            var range = await ScanRangeAsync(chain, head, finalized, cancellationToken);
            linkedPastStop = range.LinkedPastStop;
            if (!range.GoOn)
            {
                break;
            }
        }

        if (State.Tracked.Count < maxTracked && _pausedAtCap)
        {
            _pausedAtCap = false;
            logger.LogWarning("Chain {ChainId}: {Count} deposits followed, below the cap again; scanning goes on", GrainId.Key, State.Tracked.Count);
        }

        if (State.Tracked.Count >= maxTracked)
        {
            if (!_pausedAtCap)
            {
                _pausedAtCap = true; // told once, not at every tick of a pause that may last a reorg window's worth of blocks
                logger.LogError(
                    "Chain {ChainId}: {Count} deposits followed, its MaxTrackedDeposits; scanning pauses until they settle and leave the reorg window",
                    GrainId.Key, State.Tracked.Count);
            }

            // Paused, the cursor stays; the deposits just below it would never be deeper than it, never settle and never
            // leave, and the pause would last for good (a flood of dust transfers to the treasury is cheap on some chains).
            // The blocks after the cursor are linked by hash, headers only, so those deposits' depth keeps growing.
            linkedPastStop = Math.Max(linkedPastStop, await LinkPastCursorAsync(chain, head, cancellationToken));
        }

        // Depth is counted to the last block the scan linked by hash, never to a head the node only named: a backend on
        // a longer fork may name a head whose blocks the scan could not read (it stopped there), and those blocks
        // confirm nothing. When the scan reached the head, the two are the same. A range that stopped before a block whose
        // logs lag still read and linked the blocks after it: those count for every deposit below the stop, not only for
        // the ones that range found (how the ranges fell must not decide whether a deposit is confirmed).
        var scanned = Math.Max(State.NextBlock is { } next && next > 0 ? Math.Min(head, next - 1) : 0, linkedPastStop);
        await SettleAsync(chain, scanned, finalized, cancellationToken);
        if (State.Hinted.Count > 0)
        {
            // What the scan found it follows now (Track took it off this list; a deposit it followed already never got on
            // it); what is left behind the cursor was not there.
            await ForgetAsync(State.Hinted, [.. State.Hinted.Where(h => h.BlockNumber < State.NextBlock)], "hinted");
        }

        if (State.NextBlock > head)
        {
            _unsaved |= State.LogRangeCeiling is not null;
            State.LogRangeCeiling = null;
            if (State.Orphaned.Count > 0 && State.NextBlock > (State.OrphanedBelow ?? 0))
            {
                await ForgetAsync(State.Orphaned, [.. State.Orphaned], "reorged");
            }

            if (State.Orphaned.Count == 0 && State.OrphanedBelow is not null)
            {
                State.OrphanedBelow = null;
                _unsaved = true;
            }
        }

        var windowStart = WindowStart(chain, head);
        _unsaved |= State.Tracked.RemoveAll(t => t.Settled && t.BlockNumber < windowStart) > 0;
        if (_unsaved)
        {
            await SaveAsync();
        }
    }

    /// <summary>
    /// Deposits followed at or past the cursor come from a range written down before its end (its deposits are saved before
    /// their payments hear of them, the cursor after): a stop in between leaves them there, and the blocks they were read
    /// from may have been replaced since, with nothing kept to tell. They wait as a reorg's orphans do: found again by the
    /// rescan, or dropped (their credit taken back) once it passes them.
    /// </summary>
    private void OrphanUnscannedDeposits()
    {
        var next = State.NextBlock!.Value;
        var unscanned = State.Tracked.FindAll(t => t.BlockNumber >= next);
        if (unscanned.Count == 0)
        {
            return;
        }

        State.Tracked.RemoveAll(t => t.BlockNumber >= next);
        State.Orphaned.AddRange(unscanned);
        State.OrphanedBelow = Math.Max(State.OrphanedBelow ?? 0, unscanned.Max(t => t.BlockNumber));
        _unsaved = true;
        logger.LogWarning(
            "Chain {ChainId}: {Count} deposits were written down by a range that did not end (a stop); they wait to be found again from block {Block}",
            GrainId.Key, unscanned.Count, next);
    }

    private async Task SaveAsync()
    {
        await state.WriteStateAsync();
        _unsaved = false;
        Report(); // a long catch-up moves the cursor range by range within one tick
    }

    /// <summary>Scans one range; <see cref="RangeScan.GoOn"/> false when the chain moved under the scan (the next tick looks again).</summary>
    private async Task<RangeScan> ScanRangeAsync(WatchedChain chain, ulong head, ulong? finalized, CancellationToken cancellationToken)
    {
        ulong linkedPastStop = 0;
        var from = State.NextBlock!.Value;
        var to = Math.Min(head, from + State.LogRange - 1);
        var windowStart = WindowStart(chain, head);
        var windowFrom = Math.Max(from, windowStart);

        // The recent blocks' hashes before the logs are asked for, compared with after: a block replaced meanwhile may
        // hold a deposit the logs (read from the block before it) do not show, and nothing else would ever tell.
        var before = windowFrom <= to ? await chain.Rpc.GetBlocksAsync([.. Numbers(windowFrom, to)], cancellationToken) : [];
        if (before.Any(block => block is null))
        {
            return RangeScan.Stop; // the chain got shorter: a reorg the next tick will see
        }

        IReadOnlyList<DepositLog> logs;
        var fromReceipts = false; // the range's one block was read whole, from its receipts
        try
        {
            logs = await reader.ReadAsync(chain, from, to, cancellationToken);
        }
        catch (ChainRpcException tooLarge) when (tooLarge.Kind == RpcFailureKind.RangeTooLarge && to > from)
        {
            State.LogRange = Math.Max(1, (to - from + 1) / 2);
            State.LogRangeCeiling = State.LogRange;
            logger.LogInformation("Chain {ChainId}: the node refused {Blocks} blocks of logs; trying {Range}", GrainId.Key, to - from + 1, State.LogRange);
            return RangeScan.Next;
        }
        catch (ChainRpcException tooLarge) when (tooLarge.Kind == RpcFailureKind.RangeTooLarge)
        {
            // One block with more matching logs than the node answers at once (anyone can send the treasury thousands of
            // zero-value transfers in one block): refused as it is, the cursor would never pass it. Its receipts hold them all.
            if ((await chain.Rpc.GetBlocksAsync([from], cancellationToken))[0] is not { } crowded)
            {
                return RangeScan.Stop; // the chain got shorter: a reorg the next tick will see
            }

            logger.LogWarning("Chain {ChainId}: the node refused the logs of block {Block} alone; reading its receipts", GrainId.Key, from);
            logs = await reader.ReadBlockReceiptsAsync(chain, crowded.Number, crowded.Hash, cancellationToken);
            fromReceipts = true;
        }

        var numbers = new SortedSet<ulong>(logs.Select(l => l.BlockNumber));
        numbers.UnionWith(Numbers(windowFrom, to));

        var blocks = new Dictionary<ulong, ChainBlock>();
        var fetched = await chain.Rpc.GetBlocksAsync([.. numbers], cancellationToken);
        foreach (var block in fetched)
        {
            if (block is null)
            {
                return RangeScan.Stop; // the chain got shorter while scanning: a reorg the next tick will see
            }

            blocks[block.Number] = block;
        }

        if (State.Recent.Count > 0 && State.Recent[^1].Number + 1 == from && blocks.TryGetValue(from, out var first)
            && first.ParentHash.ToString() != State.Recent[^1].Hash)
        {
            await RollBackAsync(chain, cancellationToken);
            return RangeScan.Next;
        }

        for (var n = windowFrom + 1; n <= to; n++)
        {
            if (blocks[n].ParentHash != blocks[n - 1].Hash)
            {
                return RangeScan.Stop; // blocks from two forks: the node reorganised mid-range
            }
        }

        if (logs.Any(l => blocks[l.BlockNumber].Hash.ToString() != l.BlockHash))
        {
            return RangeScan.Stop; // the logs came from a block the node no longer has at that height
        }

        if (before.Any(block => blocks[block!.Number].Hash != block.Hash))
        {
            logger.LogInformation("Chain {ChainId}: blocks {From}..{To} changed while their logs were read; scanning them again", GrainId.Key, windowFrom, to);
            return RangeScan.Stop;
        }

        // The last block this range read and linked by hash; a deposit's depth counts to it (see below). Below the window
        // only the deposits' own blocks are read.
        var linked = windowFrom <= to ? to : blocks.Keys.DefaultIfEmpty(from).Max();
        // Receipts hold every log of their block: nothing there to check again by hash (which the node would refuse as well,
        // when the block is full of zero-value transfers that count against its answer but are no deposits).
        if (!fromReceipts && await FindMissedDepositsAsync(chain, logs, blocks, windowFrom, to, cancellationToken) is { } missed)
        {
            // The blocks before it passed every check: the scan keeps them and stops before this one, so a node whose logs
            // keep lagging at the head still lets the cursor move up to them.
            logger.LogWarning(
                "Chain {ChainId}: the node's logs for blocks {From}..{To} lack deposits of block {Block}, or could not be checked there; the scan stops before it",
                GrainId.Key, from, to, missed);
            linkedPastStop = linked;
            if (missed == from)
            {
                return new RangeScan(GoOn: false, linkedPastStop);
            }

            to = missed - 1;
            logs = [.. logs.Where(l => l.BlockNumber <= to)];
        }

        var found = WithoutConflicts(logs).Select(l => Track(l, blocks[l.BlockNumber].Timestamp)).ToList();
        if (found.Count > 0)
        {
            // Followed, written down, before any payment hears of them (as a hint's are). A stop after a credit but before
            // this range's save would otherwise scan the block again with nothing followed, and a key that names another
            // log by then (a token listed meanwhile) would credit a deposit twice where the followed one would conflict.
            await SaveAsync();
        }

        // Depth to the last block the range read and linked, as in SettleAsync, never to the head the node named: that may
        // lie on a fork whose blocks the next range cannot read. (Blocks after a deposit that the node's logs lag behind
        // were read all the same, so they count.)
        await ForwardAsync(chain, found, linked, finalized);
        for (var n = windowFrom; n <= to; n++)
        {
            State.Recent.Add(new BlockRef(n, blocks[n].Hash.ToString()));
        }

        if (State.Recent.Count > chain.Settings.ReorgWindow)
        {
            State.Recent.RemoveRange(0, State.Recent.Count - chain.Settings.ReorgWindow);
        }

        State.NextBlock = to + 1;
        var widest = Math.Min(chain.Settings.MaxLogRange, State.LogRangeCeiling ?? ulong.MaxValue);
        if (logs.Count < QuietLogCount && State.LogRange < widest)
        {
            State.LogRange = Math.Min(widest, State.LogRange * 2);
        }

        await SaveAsync();
        return new RangeScan(GoOn: true, linkedPastStop);
    }

    /// <summary>
    /// A load-balanced node may answer eth_getLogs from a backend some blocks behind the one that gave the headers: no
    /// logs for a block that has them, and nothing else would ever tell. So a recent block whose logs bloom says one of
    /// the reader's two queries may have logs there, while the answer to that query had none, is read again by its hash.
    /// Returns the first block whose by-hash read holds more deposits than the range's answer did, or whose by-hash read
    /// failed (a node without the block fails it): the scan stops before it and tries again next tick.
    /// </summary>
    private async Task<ulong?> FindMissedDepositsAsync(
        WatchedChain chain, IReadOnlyList<DepositLog> logs, Dictionary<ulong, ChainBlock> blocks, ulong windowFrom, ulong to, CancellationToken cancellationToken)
    {
        if (_blockCheckOff)
        {
            return null;
        }

        var found = logs.GroupBy(l => l.BlockNumber).ToDictionary(g => g.Key, g => g.ToList());
        for (var n = windowFrom; n <= to; n++)
        {
            var (contract, transfers) = DepositLogReader.MayHoldDeposits(chain, blocks[n]);
            var inRange = found.GetValueOrDefault(n) ?? [];
            if ((!contract || inRange.Any(l => l.Deposit.Kind == ChainDepositKind.Contract))
                && (!transfers || inRange.Any(l => l.Deposit.Kind == ChainDepositKind.Transfer)))
            {
                continue;
            }

            IReadOnlyList<DepositLog> again;
            try
            {
                again = await reader.ReadBlockAsync(chain, blocks[n], cancellationToken);
                _blockCheckFailures = 0;
            }
            catch (ChainRpcException failed)
            {
                // Whatever follows, this tick stops before n: its logs are unchecked.
                if (await ReadsOldBlockByHashAsync(chain, cancellationToken))
                {
                    // The node reads an older block by its hash but not this one: it lags (a backend behind the others).
                    // However long that lasts, it is no reason to stop checking.
                    _blockCheckFailures = 0;
                    logger.LogWarning("Chain {ChainId}: block {Block} could not be read by its hash while an older block could (the node lags): {Error}", GrainId.Key, n, failed.Message);
                    return n;
                }

                if (++_blockCheckFailures < MaxBlockCheckFailures)
                {
                    logger.LogWarning("Chain {ChainId}: block {Block} could not be read by its hash to check its logs: {Error}", GrainId.Key, n, failed.Message);
                    return n;
                }

                _blockCheckOff = true;
                logger.LogError(
                    "Chain {ChainId}: {Count} reads of logs by block hash failed in a row, older blocks' too (last: {Error}); the node is taken for one that cannot read logs by block hash, and log answers are no longer checked against blooms until the watcher restarts, so a lagging node's answer may hide deposits",
                    GrainId.Key, _blockCheckFailures, failed.Message);
                return n;
            }

            if (again.Count > inRange.Count)
            {
                return n;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the node serves a read of logs by block hash for the oldest block kept (deep enough for every backend to
    /// have it): tells a node that lags apart from one that cannot do such reads at all.
    /// </summary>
    private async Task<bool> ReadsOldBlockByHashAsync(WatchedChain chain, CancellationToken cancellationToken)
    {
        if (State.Recent.Count == 0)
        {
            return false;
        }

        var oldest = State.Recent[0];
        try
        {
            await reader.ReadBlockAsync(chain, oldest.Number, Hash32.Parse(oldest.Hash), cancellationToken);
            return true;
        }
        catch (ChainRpcException)
        {
            return false;
        }
    }

    private static IEnumerable<ulong> Numbers(ulong from, ulong to)
    {
        for (var n = from; n <= to; n++)
        {
            yield return n;
        }
    }

    /// <summary>
    /// The range's deposits less those found under the key of a followed deposit that they are not (another token, payer,
    /// amount or ref). A key counts the grid's logs in a transaction, so it names another log once the listed tokens
    /// change while the transaction is followed, or once a reorg re-runs it in a block where it logs otherwise. Taken for
    /// the followed one, such a deposit would be credited twice or not at all; it is set aside, uncredited, for a person
    /// (ALERT), and the followed one goes as any deposit a reorg removed does. Nothing else stops: a transaction anyone
    /// can write must not halt the chain's credits.
    /// </summary>
    private IReadOnlyList<DepositLog> WithoutConflicts(IReadOnlyList<DepositLog> logs)
    {
        if (logs.Count == 0 || State.Tracked.Count + State.Orphaned.Count + State.Hinted.Count == 0)
        {
            return logs;
        }

        // One look-up table per range: a catch-up may follow thousands of deposits and find thousands more.
        var followedByKey = new Dictionary<(ulong ChainId, string Transaction, int Ordinal), TrackedDeposit>();
        foreach (var followed in State.Hinted.Concat(State.Orphaned).Concat(State.Tracked))
        {
            followedByKey[KeyOf(followed.Deposit)] = followed;
        }

        var kept = new List<DepositLog>(logs.Count);
        foreach (var log in logs)
        {
            if (followedByKey.TryGetValue(KeyOf(log.Deposit), out var followed)
                && !followed.Deposit.SameContentAs(log.Deposit))
            {
                logger.LogCritical(
                    "ALERT chain {ChainId}: deposit {Deposit} in block {Block} is not the deposit followed under that key (payment {PaymentId}: {Followed}); " +
                    "found: {Found}. Set aside uncredited for a person: were the chain's tokens listed or unlisted while its transaction was followed, " +
                    "or did a reorg re-run it with other logs?",
                    GrainId.Key, log.Deposit.Key, log.BlockNumber, followed.PaymentId, followed.Deposit.Describe(), log.Deposit.Describe());
                continue;
            }

            kept.Add(log);
        }

        return kept;
    }

    /// <summary>Follows a deposit found on the current chain (again, if a reorg had orphaned it: then it keeps what its payment did).</summary>
    private TrackedDeposit Track(DepositLog log, DateTimeOffset blockTime)
    {
        var orphan = State.Orphaned.Find(o => SameDeposit(o.Deposit, log.Deposit));
        if (orphan is not null)
        {
            State.Orphaned.Remove(orphan);
        }

        if (State.Hinted.Count > 0)
        {
            State.Hinted.RemoveAll(h => SameDeposit(h.Deposit, log.Deposit));
        }

        var existing = State.Tracked.FindIndex(t => SameDeposit(t.Deposit, log.Deposit));
        var previous = existing >= 0 ? State.Tracked[existing] : orphan;
        // A deposit found again after a reorg goes back to its payment even when it was settled: the payment may have
        // taken its credit back meanwhile (told the deposit was gone, its answer lost or not written down here), and it
        // is the one that knows. One still credited says so at once.
        var settled = existing >= 0 && previous!.Settled;
        var tracked = new TrackedDeposit(
            log.Deposit, log.BlockNumber, log.BlockHash, blockTime, previous?.PaymentId ?? PaymentFor(log.Deposit),
            settled, previous?.Credited ?? false, previous?.BlockHash == log.BlockHash ? previous.ReportedConfirmations : 0);
        if (existing >= 0)
        {
            State.Tracked[existing] = tracked;
        }
        else
        {
            State.Tracked.Add(tracked);
        }

        return tracked;
    }

    /// <summary>
    /// Whether two deposits have the same <see cref="ChainDeposit.Key"/>, compared part by part: building the key string
    /// for every followed deposit at every look-up made a 5,000-deposit catch-up build tens of millions of strings.
    /// </summary>
    private static bool SameDeposit(ChainDeposit a, ChainDeposit b) => KeyOf(a) == KeyOf(b);

    /// <summary>The parts of <see cref="ChainDeposit.Key"/>, compared without building the string.</summary>
    private static (ulong ChainId, string Transaction, int Ordinal) KeyOf(ChainDeposit deposit) =>
        (deposit.ChainId, deposit.TransactionHash, deposit.Ordinal);

    /// <summary>The intent named in the ref, else the deposit's own payment (an intent hands on what it may not take).</summary>
    private static string PaymentFor(ChainDeposit deposit) =>
        deposit.Ref is { } reference && Hash32.TryParse(reference, out var hash) && DepositRefs.PaymentIdIn(hash.Bytes) is { } intent
            ? intent
            : ChainPaymentIds.ForDeposit(deposit);

    /// <summary>Tells the payments of deposits not settled yet how deep they are now (a range's new ones included).</summary>
    private async Task SettleAsync(WatchedChain chain, ulong head, ulong? finalized, CancellationToken cancellationToken)
    {
        List<TrackedDeposit> due = [.. State.Tracked.Where(t => !t.Settled)];
        if (await DueBlocksAreCanonicalAsync(chain, due, head, finalized, cancellationToken))
        {
            await ForwardAsync(chain, due, head, finalized);
        }
    }

    private async Task ForwardAsync(WatchedChain chain, List<TrackedDeposit> deposits, ulong head, ulong? finalized)
    {
        if (deposits.Count == 0)
        {
            return;
        }

        using var gate = new SemaphoreSlim(MaxConcurrentPayments);
        var updates = await Task.WhenAll(deposits.GroupBy(d => d.PaymentId).Select(async payment =>
        {
            await gate.WaitAsync();
            try
            {
                var results = new List<TrackedDeposit>();
                foreach (var deposit in payment)
                {
                    results.Add(await TellAsync(chain, deposit, head, finalized));
                }

                return results;
            }
            finally
            {
                gate.Release();
            }
        }));
        foreach (var updated in updates.SelectMany(u => u))
        {
            var at = State.Tracked.FindIndex(t => SameDeposit(t.Deposit, updated.Deposit));
            if (at >= 0 && State.Tracked[at] != updated)
            {
                State.Tracked[at] = updated;
                _unsaved = true;
            }
        }
    }

    private async Task<TrackedDeposit> TellAsync(WatchedChain chain, TrackedDeposit deposit, ulong head, ulong? finalized)
    {
        if (deposit.Settled)
        {
            return deposit;
        }

        var sighting = Sighting(chain, deposit, head, finalized);
        var confirmed = IsConfirmed(chain, deposit, head, finalized);
        var payment = GrainFactory.GetGrain<IChainPaymentGrain>(deposit.PaymentId);
        try
        {
            if (confirmed)
            {
                var outcome = await payment.Confirm(sighting);
                return outcome == ConfirmOutcome.Retry
                    ? deposit
                    : deposit with { Settled = true, Credited = outcome == ConfirmOutcome.Credited, ReportedConfirmations = sighting.Confirmations };
            }

            if (sighting.Confirmations != deposit.ReportedConfirmations)
            {
                await payment.Observe(sighting);
                return deposit with { ReportedConfirmations = sighting.Confirmations };
            }
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            // Not settled: told again next tick, and the payment takes a repeat as a repeat.
            logger.LogWarning("Chain {ChainId}: payment {PaymentId} not told of deposit {Deposit} yet: {Error}", GrainId.Key, deposit.PaymentId, deposit.Deposit.Key, failed.Message);
        }

        return deposit;
    }

    private static bool IsConfirmed(WatchedChain chain, TrackedDeposit deposit, ulong head, ulong? finalized)
    {
        if (chain.Settings.UseFinalized)
        {
            return finalized >= deposit.BlockNumber;
        }

        var sighting = Sighting(chain, deposit, head);
        return sighting.Confirmations >= sighting.Required;
    }

    /// <summary>How deep the deposit is; at the finalized tag, the depth that finalizes a block now is what is required.</summary>
    private static DepositSighting Sighting(WatchedChain chain, TrackedDeposit deposit, ulong head, ulong? finalized = null) => new(
        deposit.Deposit,
        deposit.BlockNumber,
        deposit.BlockHash,
        deposit.BlockTime,
        head >= deposit.BlockNumber ? (int)Math.Min(int.MaxValue, head - deposit.BlockNumber + 1) : 0,
        chain.Settings.UseFinalized && finalized is { } final && head >= final ? (int)Math.Min(int.MaxValue, head - final + 1) : chain.Settings.Confirmations);

    /// <summary>
    /// The node must follow the configured chain: a test network behind a main network's settings (the deposit contract
    /// can have the same address on both) would have its free coins credited at the main network's rate. Checked on the
    /// first tick, again every few minutes, and on every tick while it is wrong.
    /// </summary>
    private async Task RequireChainIdAsync(WatchedChain chain, CancellationToken cancellationToken)
    {
        var now = Context.TimeProvider.GetUtcNow();
        if (_chainIdConfirmedAt is { } at && now - at < ChainIdRecheck)
        {
            return;
        }

        var id = await chain.Rpc.GetChainIdAsync(cancellationToken);
        if (id != chain.Settings.ChainId)
        {
            _chainIdConfirmedAt = null;
            logger.LogError("Chain {ChainId}: the node at the configured RpcUrl follows chain {NodeChainId}; nothing is scanned until it follows {ChainId}", GrainId.Key, id, chain.Settings.ChainId);
            throw new InvalidOperationException($"the node follows chain {id}, not the configured {chain.Settings.ChainId}; nothing is scanned");
        }

        await RequireContractsAsync(chain, cancellationToken);
        _chainIdConfirmedAt = now;
    }

    /// <summary>
    /// Once per activation (and after every mismatch): the configuration's treasury and token decimals agree with the
    /// chain, or nothing is scanned (see <see cref="ConfiguredContracts"/>). What cannot be checked is logged once.
    /// </summary>
    private async Task RequireContractsAsync(WatchedChain chain, CancellationToken cancellationToken)
    {
        if (_contractsChecked)
        {
            return;
        }

        var check = await ConfiguredContracts.CheckAsync(chain, cancellationToken);
        if (check.Mismatches.Count > 0)
        {
            var problems = string.Join("; ", check.Mismatches);
            logger.LogError("Chain {ChainId}: the configuration disagrees with the chain ({Problems}); nothing is scanned until it is corrected", GrainId.Key, problems);
            throw new InvalidOperationException($"the configuration disagrees with the chain: {problems}; nothing is scanned");
        }

        foreach (var unverified in check.Unverified)
        {
            logger.LogWarning("Chain {ChainId}: not checked against the chain: {What}", GrainId.Key, unverified);
        }

        _contractsChecked = true;
    }

    private async Task<bool> TipIsCanonicalAsync(WatchedChain chain, CancellationToken cancellationToken)
    {
        var tip = State.Recent[^1];
        var block = await chain.Rpc.GetBlockAsync(BlockTag.Number(tip.Number), cancellationToken)
            ?? throw new ChainNodeBehindException($"the node does not have block {tip.Number}, scanned already, though its head is past it");
        return block.Hash.ToString() == tip.Hash;
    }

    /// <summary>Finds the newest kept block still on the chain and rescans from the one after it; what was found above it is orphaned.</summary>
    private async Task RollBackAsync(WatchedChain chain, CancellationToken cancellationToken)
    {
        var kept = State.Recent;
        var canonical = await chain.Rpc.GetBlocksAsync([.. kept.Select(b => b.Number)], cancellationToken);
        var fork = -1;
        for (var i = kept.Count - 1; i >= 0; i--)
        {
            // Only a block the node has, with another hash, is off the chain: one it does not answer for says nothing.
            var block = canonical[i] ?? throw new ChainNodeBehindException($"the node does not have block {kept[i].Number}, scanned already; no reorg is decided on its silence");
            if (block.Hash.ToString() == kept[i].Hash)
            {
                fork = i;
                break;
            }
        }

        ulong rescanFrom;
        if (fork < 0)
        {
            rescanFrom = kept[0].Number;
            logger.LogCritical(
                "ALERT chain {ChainId}: reorg deeper than the {Window} kept blocks; rescanning from {Block}, credits below it are not rechecked",
                GrainId.Key, kept.Count, rescanFrom);
        }
        else
        {
            rescanFrom = kept[fork].Number + 1;
        }

        await RewindAsync(rescanFrom, kept[^1].Number);
    }

    /// <summary>
    /// Sends the scan back to <paramref name="rescanFrom"/> after a reorg: the deposits followed from there on wait to be
    /// found on the new chain (and are dropped, or their credit reversed, once the scan passes <paramref name="lastScanned"/>
    /// without finding them).
    /// </summary>
    private async Task RewindAsync(ulong rescanFrom, ulong lastScanned)
    {
        State.OrphanedBelow = Math.Max(State.OrphanedBelow ?? 0, lastScanned);
        var orphaned = State.Tracked.Where(t => t.BlockNumber >= rescanFrom).ToList();
        State.Tracked.RemoveAll(t => t.BlockNumber >= rescanFrom);
        State.Orphaned.AddRange(orphaned);
        State.Recent.RemoveAll(b => b.Number >= rescanFrom);
        State.NextBlock = rescanFrom;
        State.Reorgs++;
        logger.LogWarning(
            "Chain {ChainId}: reorg from block {Block}; {Count} deposits wait to be found on the new chain", GrainId.Key, rescanFrom, orphaned.Count);
        await SaveAsync();
    }

    /// <summary>
    /// A deposit about to be credited whose block is below the kept hashes was last tied to the chain when it was scanned:
    /// the finalized tag can lag the head by more than ReorgWindow blocks, and a payment that asked to be told again can
    /// fall behind the window too, so a reorg of its block would go unseen and the credit would be invented. Its block is
    /// read again first; one replaced since sends the scan back to it and nothing is credited this tick.
    /// </summary>
    private async Task<bool> DueBlocksAreCanonicalAsync(WatchedChain chain, List<TrackedDeposit> due, ulong head, ulong? finalized, CancellationToken cancellationToken)
    {
        var keptFrom = State.Recent.Count > 0 ? State.Recent[0].Number : ulong.MaxValue;
        var unlinked = due.Where(d => d.BlockNumber < keptFrom && IsConfirmed(chain, d, head, finalized)).ToList();
        if (unlinked.Count == 0)
        {
            return true;
        }

        var numbers = unlinked.Select(d => d.BlockNumber).Distinct().Order().ToArray();
        var blocks = await chain.Rpc.GetBlocksAsync(numbers, cancellationToken);
        for (var i = 0; i < numbers.Length; i++)
        {
            var block = blocks[i] ?? throw new ChainNodeBehindException($"the node does not have block {numbers[i]}, which holds a deposit due to be credited");
            var replaced = unlinked.Find(d => d.BlockNumber == numbers[i] && d.BlockHash != block.Hash.ToString());
            if (replaced is not null)
            {
                logger.LogCritical(
                    "ALERT chain {ChainId}: block {Block} of deposit {Deposit} (payment {PaymentId}) was replaced below the {Window} kept blocks before it could be credited; rescanning from it",
                    GrainId.Key, numbers[i], replaced.Deposit.Key, replaced.PaymentId, chain.Settings.ReorgWindow);
                await RewindAsync(numbers[i], State.NextBlock!.Value - 1);
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The scan passed these deposits' blocks without finding them (a reorg took them, or a hint came from a block the
    /// chain gave up): their payments drop them, or reverse what they credited; each leaves <paramref name="list"/> once
    /// its payment has heard. A payment that cannot be told now is told at the next tick.
    /// </summary>
    private async Task ForgetAsync(List<TrackedDeposit> list, List<TrackedDeposit> gone, string why)
    {
        foreach (var deposit in gone)
        {
            var payment = GrainFactory.GetGrain<IChainPaymentGrain>(deposit.PaymentId);
            try
            {
                if (deposit.Credited)
                {
                    await payment.Revert(deposit.Deposit);
                    State.Reversals++;
                    logger.LogCritical(
                        "ALERT chain {ChainId}: credited deposit {Deposit} (payment {PaymentId}) was reorged out of block {Block}; its credit is reversed",
                        GrainId.Key, deposit.Deposit.Key, deposit.PaymentId, deposit.BlockNumber);
                }
                else
                {
                    await payment.Drop(deposit.Deposit);
                    logger.LogInformation(
                        "Chain {ChainId}: {Why} deposit {Deposit} (payment {PaymentId}) is not in block {Block} any more; dropped",
                        GrainId.Key, why, deposit.Deposit.Key, deposit.PaymentId, deposit.BlockNumber);
                }

                list.Remove(deposit);
                _unsaved = true;
            }
            catch (Exception failed) when (failed is not OperationCanceledException)
            {
                logger.LogWarning("Chain {ChainId}: payment {PaymentId} not told its {Why} deposit is gone yet: {Error}", GrainId.Key, deposit.PaymentId, why, failed.Message);
            }
        }
    }

    /// <summary>
    /// The last block past the cursor that descends, by parent hashes, from the last block scanned (at most a reorg window
    /// of headers, no logs); 0 when none does. Below the window blocks are not linked by hash (a range there reads only its
    /// deposits' blocks), so a cursor below it counts to the block before the window.
    /// </summary>
    private async Task<ulong> LinkPastCursorAsync(WatchedChain chain, ulong head, CancellationToken cancellationToken)
    {
        var next = State.NextBlock!.Value;
        var windowStart = WindowStart(chain, head);
        if (next > head)
        {
            return 0;
        }

        if (next < windowStart)
        {
            return windowStart - 1;
        }

        if (State.Recent.Count == 0 || State.Recent[^1].Number + 1 != next)
        {
            return 0;
        }

        var to = Math.Min(head, next + (ulong)chain.Settings.ReorgWindow - 1);
        var parent = State.Recent[^1].Hash;
        ulong linked = 0;
        foreach (var block in await chain.Rpc.GetBlocksAsync([.. Numbers(next, to)], cancellationToken))
        {
            if (block is null || block.ParentHash.ToString() != parent)
            {
                break; // the chain got shorter or forked here: the next tick looks again
            }

            linked = block.Number;
            parent = block.Hash.ToString();
        }

        return linked;
    }

    private static ulong WindowStart(WatchedChain chain, ulong head) =>
        head + 1 > (ulong)chain.Settings.ReorgWindow ? head + 1 - (ulong)chain.Settings.ReorgWindow : 0;

    private ChainWatcherView View() => new(
        ulong.Parse(GrainId.Key, NumberStyles.None, CultureInfo.InvariantCulture),
        State.NextBlock is { } next && next > 0 ? next - 1 : null,
        _head,
        State.LogRange,
        State.Tracked.Count,
        State.Reorgs,
        State.Reversals,
        _lastError,
        State.Tracked.Count(t => !t.Settled));
}
