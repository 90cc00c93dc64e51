using System.Security.Cryptography;

namespace Grid.Stripe.TestKit;

/// <summary>Fresh ids shaped like Stripe's test-mode ids, for the stand-in's objects and for events a test builds.</summary>
public static class StripeTestIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string Event() => "evt_1" + Random(23);

    public static string CheckoutSession() => "cs_test_" + Random(58);

    public static string PaymentIntent() => "pi_3" + Random(23);

    public static string Charge() => "ch_3" + Random(23);

    public static string Refund() => "re_3" + Random(23);

    public static string Dispute() => "dp_1" + Random(23);

    public static string Customer() => "cus_" + Random(14);

    public static string PaymentMethod() => "pm_1" + Random(23);

    public static string BalanceTransaction() => "txn_3" + Random(23);

    public static string Request() => "req_" + Random(14);

    /// <summary><paramref name="length"/> random letters and digits, the alphabet of Stripe's id suffixes.</summary>
    public static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
