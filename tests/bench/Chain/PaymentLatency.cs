using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Grid.Chain.TestKit;
using Grid.Chain.TestKit.Rpc;

namespace Grid.Bench.Chain;

/// <summary>
/// Payment to credit on a live chain: anvil mines a block every <c>--block-time</c> seconds, the silo's watcher polls
/// every <c>--poll-ms</c> and credits at <c>--latency-confirmations</c>. Intents are made through the gateway, each
/// paid by a wallet of its own at a random moment (so payments land anywhere in a block's time), and each payment is
/// read through the gateway until it says credited. The first payments warm the silo up and are not counted.
/// </summary>
public static class PaymentLatency
{
    public const int WarmUp = 2;

    /// <summary>How often a payment's status is read: the credit is seen up to this much late.</summary>
    public static readonly TimeSpan StatusPoll = TimeSpan.FromMilliseconds(20);

    private const int Seed = 30;
    private const long IntentCredits = 1_000;
    private const long CallGas = 200_000;
    private static readonly TimeSpan MaxGap = TimeSpan.FromMilliseconds(1_500);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<IReadOnlyList<LatencySample>> RunAsync(ChainFixture chains, ChainBenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(options);
        await using var chain = await chains.StartChainAsync(DepositChain.LongChainNode with { BlockTimeSeconds = options.BlockTimeSeconds }, cancellationToken);
        var payers = Enumerable.Range(0, WarmUp + options.LatencyPayments).Select(i => BenchWallets.Address("grid-bench-latency-payer", i)).ToList();
        await BenchWallets.FundAsync(chain.Client, payers, cancellationToken);
        var settings = ChainBenchSilo.Settings(chain, options.LatencyConfirmations, options.PollInterval);
        var directory = Directory.CreateTempSubdirectory("grid-bench-chain-latency-");
        try
        {
            await using var silo = await ChainBenchSilo.StartAsync(settings, directory.FullName);
            await using var arrivals = BlockArrivals.Start(chain.Node.RpcUrl);
            var random = new Random(Seed);
            var payments = new List<Task<LatencySample>>();
            for (var i = 0; i < payers.Count; i++)
            {
                // The warm-up payments go first, one at a time, so the measured ones meet a warm silo.
                if (i == WarmUp)
                {
                    await Task.WhenAll(payments);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(random.Next((int)MaxGap.TotalMilliseconds)), cancellationToken);
                payments.Add(PayAsync(silo, chain, arrivals, settings.ChainId, payers[i], i, options.LatencyConfirmations, cancellationToken));
            }

            var samples = await Task.WhenAll(payments);
            return samples[WarmUp..];
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<LatencySample> PayAsync(
        ChainBenchSilo silo, TestChain chain, BlockArrivals arrivals, ulong chainId, string payer, int index, int confirmations, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new
        {
            operationId = "latency-" + index.ToString(CultureInfo.InvariantCulture),
            wallet = payer,
            token = "ETH",
            chainId,
            amountCredits = IntentCredits,
        });
        var intent = await silo.AnonymousAsync(HttpMethod.Post, "/v1/payments/onchain", body, cancellationToken);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var value = BigInteger.Parse(intent.GetProperty("value").GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);

        var sent = Stopwatch.GetTimestamp();
        var hash = await chain.Client.SendTransactionAsync(
            new TransactionRequest(payer, intent.GetProperty("to").GetString(), value, intent.GetProperty("data").GetString(), CallGas), cancellationToken);
        while (true)
        {
            var payment = await silo.AnonymousAsync(HttpMethod.Get, $"/v1/payments/{paymentId}", null, cancellationToken);
            if (payment.GetProperty("status").GetString() == "credited")
            {
                if (payment.GetProperty("credited").GetInt64() != IntentCredits)
                {
                    throw new InvalidOperationException($"Payment {paymentId} credited {payment.GetProperty("credited")}, not {IntentCredits}.");
                }

                break;
            }

            if (Stopwatch.GetElapsedTime(sent) > Patience)
            {
                throw new TimeoutException($"Payment {paymentId} was not credited within {Patience.TotalSeconds:0} s; last seen: {payment}");
            }

            await Task.Delay(StatusPoll, cancellationToken);
        }

        var credited = Stopwatch.GetTimestamp();
        var creditedAt = TimeProvider.System.GetUtcNow();
        var receipt = await chain.Client.GetReceiptAsync(hash, cancellationToken);
        if (receipt is not { Succeeded: true })
        {
            throw new InvalidOperationException($"Payment {paymentId} was credited, but its transaction {hash} is {(receipt is null ? "not mined" : "reverted")}.");
        }

        var confirming = receipt.BlockNumber + confirmations - 1;
        var appeared = arrivals.ArrivalOf(confirming) ?? throw new InvalidOperationException($"Block {confirming} was never seen.");
        var header = await chain.Client.GetBlockAsync(confirming, cancellationToken)
            ?? throw new InvalidOperationException($"Block {confirming} is gone.");
        return new LatencySample(
            index,
            receipt.BlockNumber,
            confirming,
            Stopwatch.GetElapsedTime(sent, credited),
            Stopwatch.GetElapsedTime(appeared, credited),
            creditedAt - header.Timestamp);
    }
}
