namespace Grid.Chain.Tests.Support;

/// <summary>
/// The seed the oracle scripts derive their wallets and messages from: fixed, so every run checks the same
/// vectors and a failure reproduces; set GRID_TEST_ORACLE_SEED to explore others.
/// </summary>
public static class OracleSeed
{
    public const string Variable = "GRID_TEST_ORACLE_SEED";

    public static string Value =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } seed ? seed : "credit-grid-chain-1";
}
