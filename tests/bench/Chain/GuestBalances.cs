namespace Grid.Bench.Chain;

/// <summary>Reads every payer's guest account back through the gateway and compares its balance with what was paid in.</summary>
public static class GuestBalances
{
    /// <summary>Null when every account holds <paramref name="times"/> its expected credits, else what the first that does not holds.</summary>
    public static async Task<string?> CheckAsync(ChainBenchSilo silo, IReadOnlyDictionary<string, long> expected, int times, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(expected);
        string? mismatch = null;
        await Parallel.ForEachAsync(expected, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (account, token) =>
        {
            var read = await silo.AdminAsync(HttpMethod.Get, $"/v1/accounts/{account.Key}", null, token);
            var available = read.GetProperty("balance").GetProperty("available").GetInt64();
            if (available != account.Value * times)
            {
                Interlocked.CompareExchange(ref mismatch, $"{account.Key} holds {available:N0}, not {account.Value * times:N0}", null);
            }
        });
        return mismatch;
    }
}
