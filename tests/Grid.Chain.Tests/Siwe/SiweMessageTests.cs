using Grid.Chain.Siwe;
using Xunit;

namespace Grid.Chain.Tests.Siwe;

public sealed class SiweMessageTests
{
    // Lines: 1 header, 2 address, 3-4 empty (no statement), 5 URI, 6 Version, 7 Chain ID, 8 Nonce, 9 Issued At.
    private const string Minimal =
        "grid.example wants you to sign in with your Ethereum account:\n" +
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n" +
        "\n" +
        "\n" +
        "URI: https://grid.example/login\n" +
        "Version: 1\n" +
        "Chain ID: 1\n" +
        "Nonce: abcdefgh1234\n" +
        "Issued At: 2026-01-01T00:00:00Z";

    [Fact]
    public void A_minimal_message_has_no_optional_parts()
    {
        var message = SiweMessage.Parse(Minimal);

        Assert.Null(message.Scheme);
        Assert.Equal("grid.example", message.Domain);
        Assert.Equal("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", message.Address.ToString());
        Assert.Null(message.Statement);
        Assert.Equal("https://grid.example/login", message.Uri);
        Assert.Equal("1", message.Version);
        Assert.Equal(1UL, message.ChainId);
        Assert.Equal("abcdefgh1234", message.Nonce);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), message.IssuedAt.Value);
        Assert.Null(message.ExpirationTime);
        Assert.Null(message.NotBefore);
        Assert.Null(message.RequestId);
        Assert.Null(message.Resources);
        Assert.Equal(Minimal, message.ToText());
    }

    [Fact]
    public void Absent_and_empty_optional_parts_are_told_apart_and_written_back_as_they_were()
    {
        var emptyStatement = Minimal.Replace("\n\n\nURI: ", "\n\n\n\nURI: ", StringComparison.Ordinal);
        var emptyParts = Minimal + "\nRequest ID: \nResources:";
        var full = "https://" + Minimal.Replace("\n\n\nURI: ", "\n\nHello world\n\nURI: ", StringComparison.Ordinal)
            + "\nExpiration Time: 2026-01-01T01:00:00.5Z\nNot Before: 2025-12-31T23:00:00-01:30\nRequest ID: r-1\nResources:\n- https://grid.example/a\n- ipfs://bafy/x";

        var a = SiweMessage.Parse(emptyStatement);
        Assert.Equal("", a.Statement);
        Assert.Equal(emptyStatement, a.ToText());

        var b = SiweMessage.Parse(emptyParts);
        Assert.Equal("", b.RequestId);
        Assert.NotNull(b.Resources);
        Assert.Empty(b.Resources);
        Assert.Equal(emptyParts, b.ToText());

        var c = SiweMessage.Parse(full);
        Assert.Equal("https", c.Scheme);
        Assert.Equal("Hello world", c.Statement);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 1, 0, 0, 500, TimeSpan.Zero), c.ExpirationTime!.Value);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.Zero), c.NotBefore!.Value);
        Assert.Equal("r-1", c.RequestId);
        Assert.Equal(["https://grid.example/a", "ipfs://bafy/x"], c.Resources!);
        Assert.Equal(full, c.ToText());
    }

    public static TheoryData<string, int, string> Faults => new()
    {
        { "", 1, SiweField.Message },
        { Minimal.Replace(" wants you to sign in with your Ethereum account:", " wants you to sign in:", StringComparison.Ordinal), 1, SiweField.Message },
        { Minimal.Replace("grid.example wants", "grid example wants", StringComparison.Ordinal), 1, SiweField.Domain },
        { Minimal.Replace("grid.example wants", ":8443 wants", StringComparison.Ordinal), 1, SiweField.Domain },
        { "1x://" + Minimal, 1, SiweField.Scheme },
        { Minimal.Replace("\n", "\r\n", StringComparison.Ordinal), 1, SiweField.Message },
        { Minimal.Replace("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", StringComparison.Ordinal), 2, SiweField.Address },
        { Minimal.Replace("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", StringComparison.Ordinal), 2, SiweField.Address },
        { Minimal.Replace("\n\n\nURI: ", "\n\nsay \"hi\"\n\nURI: ", StringComparison.Ordinal), 4, SiweField.Statement },
        { Minimal.Replace("\n\n\nURI: ", "\n\nline one\nline two\n\nURI: ", StringComparison.Ordinal), 5, SiweField.Message },
        { Minimal.Replace("URI: https://grid.example/login", "URI: https://grid.example/a b", StringComparison.Ordinal), 5, SiweField.Uri },
        { Minimal.Replace("URI: https://grid.example/login\n", "", StringComparison.Ordinal), 5, SiweField.Uri },
        { Minimal.Replace("Version: 1", "Version: 2", StringComparison.Ordinal), 6, SiweField.Version },
        { Minimal.Replace("Chain ID: 1", "Chain ID: 01", StringComparison.Ordinal), 7, SiweField.ChainId },
        { Minimal.Replace("Chain ID: 1", "Chain ID: 18446744073709551616", StringComparison.Ordinal), 7, SiweField.ChainId },
        { Minimal.Replace("Chain ID: 1", "Chain ID: -1", StringComparison.Ordinal), 7, SiweField.ChainId },
        { Minimal.Replace("Nonce: abcdefgh1234", "Nonce: abcdefg", StringComparison.Ordinal), 8, SiweField.Nonce },
        { Minimal.Replace("Nonce: abcdefgh1234", "Nonce: abcdefgh_1234", StringComparison.Ordinal), 8, SiweField.Nonce },
        { Minimal.Replace("2026-01-01T00:00:00Z", "2026-01-01T23:59:60Z", StringComparison.Ordinal), 9, SiweField.IssuedAt },
        { Minimal.Replace("2026-01-01T00:00:00Z", "2026-01-01T00:00:00", StringComparison.Ordinal), 9, SiweField.IssuedAt },
        { Minimal.Replace("2026-01-01T00:00:00Z", "0000-01-01T00:00:00Z", StringComparison.Ordinal), 9, SiweField.IssuedAt },
        { Minimal.Replace("\nIssued At: 2026-01-01T00:00:00Z", "", StringComparison.Ordinal), 9, SiweField.IssuedAt },
        { Minimal + "\n", 10, SiweField.Message },
        { Minimal + "\nExpiration Time: tomorrow", 10, SiweField.ExpirationTime },
        { Minimal + "\nNot Before: 2026-01-01T00:00:00Z\nExpiration Time: 2026-01-01T01:00:00Z", 11, SiweField.ExpirationTime },
        { Minimal + "\nRequest ID: a b", 10, SiweField.RequestId },
        { Minimal + "\nResources:\n- https://grid.example\n-https://grid.example", 12, SiweField.Resources },
        { Minimal + "\nResources:\n- not a uri", 11, SiweField.Resources },
        { Minimal + "\nSomething: else", 10, SiweField.Message },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_fault_is_reported_with_its_line_and_field(string text, int line, string field)
    {
        Assert.False(SiweMessage.TryParse(text, out var message, out var error));
        Assert.Null(message);
        Assert.Equal((line, field), (error.Line, error.Field));
        Assert.False(string.IsNullOrWhiteSpace(error.Problem));

        var thrown = Assert.Throws<SiweFormatException>(() => SiweMessage.Parse(text));
        Assert.Equal(error, thrown.Error);
        Assert.Contains($"line {line}", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_text_is_malformed_not_an_exception()
    {
        Assert.False(SiweMessage.TryParse(null, out _, out var error));
        Assert.Equal(SiweField.Message, error.Field);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.0000000+00:00")]
    [InlineData("2026-01-01t00:00:00z", "2026-01-01T00:00:00.0000000+00:00")]
    [InlineData("2026-01-01T02:00:00.123+02:00", "2026-01-01T00:00:00.1230000+00:00")]
    [InlineData("2026-01-01T00:00:00.123456789Z", "2026-01-01T00:00:00.1234567+00:00")]
    [InlineData("2026-01-01T15:00:00+15:00", "2026-01-01T00:00:00.0000000+00:00")]
    [InlineData("2025-12-31T19:30:00-04:30", "2026-01-01T00:00:00.0000000+00:00")]
    [InlineData("2028-02-29T00:00:00Z", "2028-02-29T00:00:00.0000000+00:00")]
    public void Timestamps_keep_their_text_and_name_a_utc_instant(string text, string utc)
    {
        Assert.True(SiweTimestamp.TryParse(text, out var timestamp, out var problem), problem);
        Assert.Equal(text, timestamp.Text);
        Assert.Equal(utc, timestamp.Value.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.Zero, timestamp.Value.Offset);
    }

    [Theory]
    [InlineData("2027-02-29T00:00:00Z")]
    [InlineData("2026-04-31T00:00:00Z")]
    [InlineData("2026-01-01T00:60:00Z")]
    [InlineData("2026-01-01T00:00:00+24:00")]
    [InlineData("2026-01-01T00:00:00+0200")]
    [InlineData("2026-01-01T00:00:00.Z")]
    [InlineData("2026-1-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData(" 2026-01-01T00:00:00Z")]
    public void Impossible_or_misspelled_timestamps_are_refused(string text)
    {
        Assert.False(SiweTimestamp.TryParse(text, out _, out var problem));
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }
}
