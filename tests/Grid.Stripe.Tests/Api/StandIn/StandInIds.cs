using System.Security.Cryptography;

namespace Grid.Stripe.Tests.Api.StandIn;

/// <summary>Ids shaped like Stripe's test-mode ids.</summary>
internal static class StandInIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string CheckoutSession() => "cs_test_" + Random(58);

    public static string PaymentIntent() => "pi_3" + Random(23);

    public static string Charge() => "ch_3" + Random(23);

    public static string BalanceTransaction() => "txn_3" + Random(23);

    public static string Request() => "req_" + Random(14);

    public static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
