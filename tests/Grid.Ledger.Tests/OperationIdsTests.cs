using Grid.Ledger.Errors;
using Grid.Ledger.Idempotency;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>The operation id grammar of API.md: 1..128 characters of [A-Za-z0-9_.:-].</summary>
public sealed class OperationIdsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("pay_1")]
    [InlineData("cast:42.settle-3")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-")]
    public void Ids_of_the_allowed_alphabet_are_valid(string id) => Assert.True(OperationIds.IsValid(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/no")]
    [InlineData("caf\u00e9")]
    [InlineData("~open")]
    [InlineData("tab\t")]
    [InlineData("new\nline")]
    [InlineData("plus+")]
    public void Ids_outside_the_alphabet_or_empty_are_invalid(string? id) => Assert.False(OperationIds.IsValid(id));

    [Fact]
    public void Length_limit_is_128_characters()
    {
        Assert.True(OperationIds.IsValid(new string('x', 128)));
        Assert.False(OperationIds.IsValid(new string('x', 129)));
    }

    [Fact]
    public void Ids_the_ledger_makes_itself_can_never_be_chosen_by_a_caller()
    {
        Assert.False(OperationIds.IsValid(OperationIds.ForOpen()));
        Assert.False(OperationIds.IsValid(OperationIds.ForExpiry("h1")));
        Assert.NotEqual(OperationIds.ForExpiry("h1"), OperationIds.ForExpiry("h2"));
    }

    [Fact]
    public void Require_names_the_field()
    {
        var refusal = Assert.Throws<LedgerException>(() => OperationIds.Require("bad id", "holdId"));
        Assert.Equal((LedgerErrorCodes.ValidationFailed, "holdId"), (refusal.Code, refusal.Field));
    }
}
