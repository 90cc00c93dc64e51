using System.Text;
using Grid.Gateway.Auth;

namespace Grid.Gateway.Tests.Auth;

/// <summary>What guest, wallet and dashboard tokens rest on: a sealed payload opens only as sealed, under its own key.</summary>
public sealed class MacSealTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a key of the test, long enough for HMAC");

    [Fact]
    public void A_sealed_payload_opens_to_the_same_bytes()
    {
        var payload = Encoding.UTF8.GetBytes("""{"a":"acc_1","exp":1}""");

        var sealedText = new MacSeal(Key).Seal(payload);

        Assert.Equal(payload, new MacSeal(Key).Open(sealedText));
        Assert.Equal(2, sealedText.Split('.').Length);
    }

    [Fact]
    public void Any_change_another_key_or_a_malformed_text_opens_to_nothing()
    {
        var seal = new MacSeal(Key);
        var sealedText = seal.Seal(Encoding.UTF8.GetBytes("payload"));
        var dot = sealedText.IndexOf('.', StringComparison.Ordinal);

        for (var i = 0; i < sealedText.Length; i++)
        {
            if (i == dot)
            {
                continue;
            }

            var changed = sealedText.ToCharArray();
            changed[i] = changed[i] == 'A' ? 'B' : 'A';
            Assert.Null(seal.Open(new string(changed)));
        }

        Assert.Null(new MacSeal(Encoding.UTF8.GetBytes("another key of the test, also long")).Open(sealedText));
        Assert.Null(seal.Open(sealedText + "A"));
        Assert.Null(seal.Open(sealedText.AsSpan(0, sealedText.Length - 1)));
        Assert.Null(seal.Open(sealedText.Replace(".", string.Empty, StringComparison.Ordinal)));
        Assert.Null(seal.Open("." + sealedText[(dot + 1)..]));
        Assert.Null(seal.Open(sealedText[..dot] + ".é" + sealedText[(dot + 2)..]));
        Assert.Null(seal.Open(string.Empty));
    }
}
