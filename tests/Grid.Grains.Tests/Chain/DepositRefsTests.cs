using Grid.Contracts.Payments;
using Grid.Grains.Chain;
using Xunit;

namespace Grid.Grains.Tests.Chain;

public sealed class DepositRefsTests
{
    [Fact]
    public void A_payment_id_travels_as_its_ascii_padded_to_32_bytes_and_comes_back()
    {
        var id = PaymentIds.For("acct-1", "op-1");
        var reference = DepositRefs.For(id);
        Assert.Equal(32, reference.Length);
        Assert.Equal(id, System.Text.Encoding.ASCII.GetString(reference, 0, PaymentIds.Length));
        Assert.All(reference[PaymentIds.Length..], b => Assert.Equal(0, b));
        Assert.Equal(id, DepositRefs.PaymentIdIn(reference));
    }

    [Fact]
    public void A_ref_that_is_not_a_padded_payment_id_names_no_payment()
    {
        var reference = DepositRefs.For(PaymentIds.For("acct-1", "op-1"));
        reference[31] = 1; // not zero-padded
        Assert.Null(DepositRefs.PaymentIdIn(reference));
        Assert.Null(DepositRefs.PaymentIdIn(new byte[32]));
        Assert.Null(DepositRefs.PaymentIdIn(System.Security.Cryptography.SHA256.HashData("anything"u8)));
        var upper = DepositRefs.For(PaymentIds.For("acct-1", "op-1"));
        upper[5] = (byte)'A'; // outside the id alphabet
        Assert.Null(DepositRefs.PaymentIdIn(upper));
        Assert.Null(DepositRefs.PaymentIdIn(new byte[31]));
    }
}
