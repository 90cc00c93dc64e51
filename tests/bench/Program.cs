using Grid.Bench;
using Grid.Bench.Casts;
using Grid.Bench.Chain;
using Grid.Bench.Cluster;
using Grid.Bench.Gateway;
using Grid.Bench.Ledger;
using Grid.Bench.Runtime;
using Grid.Bench.Webhooks;

const string usage =
    "usage: dotnet run -c Release --project tests/bench -- runtime [--seconds 10] [--rounds 10] [--callers 64] [--keys 1000] [--warmup 2]\n" +
    "       dotnet run -c Release --project tests/bench -- " + LedgerBenchOptions.Usage + "\n" +
    "       dotnet run -c Release --project tests/bench -- " + ClusterBenchOptions.Usage + "\n" +
    "       dotnet run -c Release --project tests/bench -- " + GatewayBenchOptions.Usage + "\n" +
    "       dotnet run -c Release --project tests/bench -- " + WebhookBenchOptions.Usage + "\n" +
    "       dotnet run -c Release --project tests/bench -- " + ChainBenchOptions.Usage + "\n" +
    "       dotnet run -c Release --project tests/bench -- " + CastBenchOptions.Usage;
if (args.Length == 0)
{
    Console.Error.WriteLine(usage);
    return 2;
}

try
{
    return args[0] switch
    {
        "runtime" => await RuntimeBenchmark.RunAsync(BenchOptions.Parse(args[1..])),
        "ledger" => await LedgerBenchmark.RunAsync(LedgerBenchOptions.Parse(args[1..])),
        "cluster" => await ClusterBenchmark.RunAsync(ClusterBenchOptions.Parse(args[1..])),
        "gateway" => await GatewayBenchmark.RunAsync(GatewayBenchOptions.Parse(args[1..])),
        "webhooks" => await WebhookBenchmark.RunAsync(WebhookBenchOptions.Parse(args[1..])),
        "chain" => await ChainBenchmark.RunAsync(ChainBenchOptions.Parse(args[1..])),
        "casts" => await CastBenchmark.RunAsync(CastBenchOptions.Parse(args[1..])),
        _ => throw new ArgumentException($"Unknown benchmark '{args[0]}'."),
    };
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(usage);
    return 2;
}
