using System.Text;
using Grid.Contracts.Payments;

namespace Grid.Grains.Chain;

/// <summary>
/// The <c>ref</c> a contract deposit carries: the payment id's ASCII, zero-padded to 32 bytes. Readable in a block
/// explorer, and a ref that is not one (anything a payer typed) simply names no intent.
/// </summary>
public static class DepositRefs
{
    public static byte[] For(string paymentId)
    {
        if (!PaymentIds.IsValid(paymentId))
        {
            throw new ArgumentException("Not a payment id.", nameof(paymentId));
        }

        var bytes = new byte[32];
        Encoding.ASCII.GetBytes(paymentId, bytes);
        return bytes;
    }

    /// <summary>The payment id in <paramref name="reference"/>, or null when it holds none.</summary>
    public static string? PaymentIdIn(ReadOnlySpan<byte> reference)
    {
        if (reference.Length != 32 || reference[PaymentIds.Length..].ContainsAnyExcept((byte)0))
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(reference[..PaymentIds.Length]);
        return PaymentIds.IsValid(text) ? text : null;
    }
}
