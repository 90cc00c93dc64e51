using System.Security.Cryptography;
using System.Text;

namespace Grid.Stripe.Tests.Webhooks.Support;

/// <summary>
/// The seed random payloads and secrets derive from: fixed, so a failure reproduces; set GRID_TEST_ORACLE_SEED to
/// explore others. Failure messages name it.
/// </summary>
public static class WebhookSeed
{
    public const string Variable = "GRID_TEST_ORACLE_SEED";

    public static string Value =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } seed ? seed : "credit-grid-stripe-1";

    /// <summary>A generator for one test, distinct per <paramref name="label"/> so tests do not share a stream.</summary>
    public static Random For(string label) =>
        new(BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{Value}:{label}"))));
}
