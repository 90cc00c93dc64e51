using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Grid.Chain.TestKit;
using Grid.Chain.TestKit.Abi;
using Grid.Chain.TestKit.Anvil;
using Grid.Chain.TestKit.Contracts;
using Grid.Chain.TestKit.Rpc;
using Grid.Contracts.Chain;

namespace Grid.Bench.Chain;

/// <summary>
/// The catch-up chain: the grid's contracts, payers funded with ETH and the test token (approved to the deposit
/// contract once), and walk-in deposits (refs that name no intent) in blocks picked at random over the whole chain,
/// empty blocks between. Built with automine off: a block's deposits are sent, the block is mined, and the gap to the
/// next one is mined at once (anvil_mine). The same seed builds the same plan every run.
/// </summary>
public sealed class DepositChain : IAsyncDisposable
{
    /// <summary>One deposit in this many is in the test token (USDC), the others in ETH.</summary>
    public const int TokenEvery = 4;

    /// <summary>Long chains need a node whose blocks cost the same at any height (see <see cref="AnvilOptions.PruneHistory"/>).</summary>
    public static readonly AnvilOptions LongChainNode = new() { Hardfork = "cancun", PruneHistory = true };

    private const int Seed = 20_000;
    private const long CallGas = 200_000;

    /// <summary>Payers minted and approved per block: two transactions each, well within a block's 30M gas.</summary>
    private const int FundingBatch = 100;

    private static readonly BigInteger TokenFunding = BigInteger.Pow(10, 12);
    private static readonly BigInteger Unlimited = BigInteger.Pow(2, 256) - 1;

    private DepositChain(TestChain chain, IReadOnlyList<PlannedDeposit> deposits, IReadOnlyList<string> payers, long head, TimeSpan built)
    {
        Chain = chain;
        Deposits = deposits;
        Payers = payers;
        Head = head;
        Built = built;
        ExpectedCredits = deposits
            .GroupBy(d => WalletAccountIds.For(d.Payer))
            .ToDictionary(g => g.Key, g => g.Sum(d => d.Credits), StringComparer.Ordinal);
    }

    public TestChain Chain { get; }

    /// <summary>The deposits in block order, each with its mined transaction.</summary>
    public IReadOnlyList<PlannedDeposit> Deposits { get; }

    public IReadOnlyList<string> Payers { get; }

    /// <summary>The last block; the chain has <c>Head + 1</c> blocks, genesis included.</summary>
    public long Head { get; }

    public TimeSpan Built { get; }

    public int BlocksWithDeposits => Deposits.Select(d => d.Block).Distinct().Count();

    public long TokenDeposits => Deposits.Count(d => d.IsToken);

    /// <summary>What each payer's guest account must hold once every deposit is credited.</summary>
    public IReadOnlyDictionary<string, long> ExpectedCredits { get; }

    public static async Task<DepositChain> BuildAsync(ChainFixture chains, ChainBenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var chain = await chains.StartChainAsync(LongChainNode, cancellationToken);
        try
        {
            var client = chain.Client;
            var payers = Enumerable.Range(0, options.Payers).Select(i => BenchWallets.Address("grid-bench-payer", i)).ToList();
            await BenchWallets.FundAsync(client, payers, cancellationToken);
            await client.SetAutomineAsync(false, cancellationToken);
            for (var offset = 0; offset < payers.Count; offset += FundingBatch)
            {
                var sent = new List<string>();
                foreach (var payer in payers.Skip(offset).Take(FundingBatch))
                {
                    sent.Add(await chain.Contracts.MintAsync(payer, TokenFunding, cancellationToken));
                    sent.Add(await client.SendTransactionAsync(
                        new TransactionRequest(
                            payer,
                            chain.Contracts.Token,
                            BigInteger.Zero,
                            AbiCodec.EncodeCall("approve(address,uint256)", AbiWord.Address(chain.Contracts.Deposit), AbiWord.Uint(Unlimited)),
                            CallGas),
                        cancellationToken));
                }

                await client.MineAsync(1, cancellationToken);
                await RequireMinedAsync(client, sent, null, cancellationToken);
            }

            var first = await client.GetBlockNumberAsync(cancellationToken) + 1;
            var last = options.Blocks - options.Confirmations;
            var random = new Random(Seed);
            var planned = Enumerable.Range(0, options.Deposits)
                .Select(_ => random.NextInt64(first, last + 1))
                .Order()
                .Select((block, index) => Plan(index, payers[index % payers.Count], block))
                .ToList();

            var deposits = new List<PlannedDeposit>(planned.Count);
            var head = first - 1;
            foreach (var block in planned.GroupBy(d => d.Block))
            {
                if (block.Key - 1 > head)
                {
                    await client.MineAsync(checked((int)(block.Key - 1 - head)), cancellationToken);
                }

                foreach (var deposit in block)
                {
                    deposits.Add(deposit with { TransactionHash = await SendAsync(chain.Contracts, deposit, cancellationToken) });
                }

                await client.MineAsync(1, cancellationToken);
                head = block.Key;
            }

            if (options.Blocks > head)
            {
                await client.MineAsync(checked((int)(options.Blocks - head)), cancellationToken);
            }

            await client.SetAutomineAsync(true, cancellationToken);
            foreach (var deposit in deposits)
            {
                await RequireMinedAsync(client, [deposit.TransactionHash!], deposit.Block, cancellationToken);
            }

            var height = await client.GetBlockNumberAsync(cancellationToken);
            if (height != options.Blocks)
            {
                throw new InvalidOperationException($"The chain was built to block {height}, not {options.Blocks}.");
            }

            return new DepositChain(chain, deposits, payers, height, clock.Elapsed);
        }
        catch
        {
            await chain.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Chain.DisposeAsync();

    /// <summary>Amounts cycle so that every account's total is known exactly: whole credits, nothing rounded.</summary>
    private static PlannedDeposit Plan(int index, string payer, long block)
    {
        var isToken = index % TokenEvery == TokenEvery - 1;
        var credits = isToken ? (1 + (index % 5)) * 100L : (1 + (index % 7)) * 1_000L;
        var amount = credits * (isToken ? ChainBenchSilo.TokenUnitsPerCredit : ChainBenchSilo.WeiPerCredit);
        return new PlannedDeposit(index, payer, block, isToken, amount, credits);
    }

    private static Task<string> SendAsync(ChainDeployment contracts, PlannedDeposit deposit, CancellationToken cancellationToken)
    {
        // A ref of no intent: each deposit is its own walk-in payment, credited to the payer's guest account.
        var reference = ChainDeployment.Reference("grid-bench-deposit-" + deposit.Index.ToString(CultureInfo.InvariantCulture));
        return deposit.IsToken
            ? contracts.Client.SendTransactionAsync(
                new TransactionRequest(
                    deposit.Payer,
                    contracts.Deposit,
                    BigInteger.Zero,
                    AbiCodec.EncodeCall(
                        "depositToken(address,uint256,bytes32)", AbiWord.Address(contracts.Token), AbiWord.Uint(deposit.Amount), AbiWord.Bytes32(reference)),
                    CallGas),
                cancellationToken)
            : contracts.DepositEthAsync(deposit.Payer, deposit.Amount, reference, cancellationToken);
    }

    private static async Task RequireMinedAsync(AnvilClient client, IEnumerable<string> transactions, long? block, CancellationToken cancellationToken)
    {
        foreach (var hash in transactions)
        {
            var receipt = await client.GetReceiptAsync(hash, cancellationToken)
                ?? throw new InvalidOperationException($"Transaction {hash} was not mined.");
            if (!receipt.Succeeded || (block is { } expected && receipt.BlockNumber != expected))
            {
                throw new InvalidOperationException($"Transaction {hash} {(receipt.Succeeded ? $"was mined in block {receipt.BlockNumber}, not {block}" : "reverted")}.");
            }
        }
    }
}
