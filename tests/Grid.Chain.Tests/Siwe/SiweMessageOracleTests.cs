using Grid.Chain.Siwe;
using Grid.Chain.Tests.Support;
using Xunit;

namespace Grid.Chain.Tests.Siwe;

/// <summary>The parser against the siwe package: its prepareMessage() texts and its own parser's verdicts.</summary>
public sealed class SiweMessageOracleTests(SiweVectorsFixture oracle) : IClassFixture<SiweVectorsFixture>
{
    [Fact]
    public void Every_prepareMessage_text_parses_to_its_fields_and_back_to_the_same_text()
    {
        var vectors = oracle.Vectors.Vectors;
        Assert.True(vectors.Count >= SiweVectors.GoodCount);
        foreach (var vector in vectors)
        {
            var fields = vector.Fields;
            Assert.True(SiweMessage.TryParse(vector.Message, out var message, out var error), $"{vector}: {error}");

            Assert.Equal(vector.Message, message.ToText());
            Assert.Equal(fields.Scheme, message.Scheme);
            Assert.Equal(fields.Domain, message.Domain);
            Assert.Equal(fields.Address, message.Address.ToChecksumString());
            Assert.Equal(fields.Statement, message.Statement);
            Assert.Equal(fields.Uri, message.Uri);
            Assert.Equal(fields.Version, message.Version);
            Assert.Equal(fields.ChainId, message.ChainId);
            Assert.Equal(fields.Nonce, message.Nonce);
            Assert.Equal(fields.IssuedAt, message.IssuedAt.Text);
            Assert.Equal(DateTimeOffset.Parse(fields.IssuedAt, System.Globalization.CultureInfo.InvariantCulture), message.IssuedAt.Value);
            Assert.Equal(fields.ExpirationTime, message.ExpirationTime?.Text);
            Assert.Equal(fields.NotBefore, message.NotBefore?.Text);
            Assert.Equal(fields.RequestId, message.RequestId);
            Assert.Equal(fields.Resources, message.Resources);
        }
    }

    [Fact]
    public void The_vectors_cover_messages_with_and_without_each_optional_field()
    {
        var fields = oracle.Vectors.Vectors.Select(v => v.Fields).ToList();
        Assert.Contains(fields, f => f.Scheme is not null);
        Assert.Contains(fields, f => f.Scheme is null);
        Assert.Contains(fields, f => f.Statement is null);
        Assert.Contains(fields, f => f.Statement == "");
        Assert.Contains(fields, f => f.Statement is { Length: > 0 });
        Assert.Contains(fields, f => f.ExpirationTime is not null);
        Assert.Contains(fields, f => f.ExpirationTime is null);
        Assert.Contains(fields, f => f.NotBefore is not null);
        Assert.Contains(fields, f => f.NotBefore is null);
        Assert.Contains(fields, f => f.RequestId is not null);
        Assert.Contains(fields, f => f.RequestId is null);
        Assert.Contains(fields, f => f.Resources is { Count: 0 });
        Assert.Contains(fields, f => f.Resources is { Count: > 1 });
        Assert.Contains(fields, f => f.Resources is null);
        Assert.Contains(fields, f => f.IssuedAt.EndsWith("+02:00", StringComparison.Ordinal));
    }

    [Fact]
    public void Accepts_and_refuses_the_same_texts_as_the_siwe_parser()
    {
        var cases = oracle.Vectors.Parse;
        Assert.Contains(cases, c => c.Accepted);
        Assert.Contains(cases, c => !c.Accepted);

        var disagreements = new List<string>();
        foreach (var parseCase in cases)
        {
            var accepted = SiweMessage.TryParse(parseCase.Text, out var message, out var error);
            if (accepted != parseCase.Accepted)
            {
                disagreements.Add($"{parseCase.Name}: siwe {(parseCase.Accepted ? "accepts" : "refuses")}, we {(accepted ? "accept" : $"refuse ({error})")}");
            }
            else if (accepted)
            {
                Assert.Equal(parseCase.Text, message!.ToText());
            }
        }

        Assert.Empty(disagreements);
    }
}
