namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// Wrong chain settings stop the silo at start with one line naming the setting (they used to escape as an unhandled
/// exception with a stack trace), among them two that would credit a deposit twice: a treasury that is the deposit
/// contract (a token deposit is its Deposited event and a Transfer to the treasury), and a token listed twice.
/// </summary>
public sealed class ChainSettingsTests
{
    private const string Contract = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    private const string Token = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

    [Theory]
    [InlineData("Grid__Chains__0__DepositContract", "0xnot-an-address", "Grid:Chains:0:DepositContract")]
    [InlineData("Grid__Chains__0__Treasury", Contract, "Grid:Chains:0:Treasury")]
    [InlineData("Grid__Chains__0__Tokens__1__Address", Token, "Grid:Chains:0:Tokens:1:Address")]
    public async Task A_wrong_chain_setting_fails_start_up_with_one_line_naming_it(string variable, string value, string setting)
    {
        using var directory = new TemporaryDirectory();
        var settings = new Dictionary<string, string>
        {
            ["Grid__Chains__0__ChainId"] = "31337",
            ["Grid__Chains__0__RpcUrl"] = "http://127.0.0.1:1",
            ["Grid__Chains__0__DepositContract"] = Contract,
            ["Grid__Chains__0__Treasury"] = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            ["Grid__Chains__0__Eth__CreditsPerEth"] = "1000000",
            ["Grid__Chains__0__Tokens__0__Symbol"] = "USDC",
            ["Grid__Chains__0__Tokens__0__Address"] = Token,
            ["Grid__Chains__0__Tokens__0__CreditsPerToken"] = "100",
            ["Grid__Chains__0__Tokens__1__Symbol"] = "USDT",
            ["Grid__Chains__0__Tokens__1__Address"] = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
            ["Grid__Chains__0__Tokens__1__CreditsPerToken"] = "100",
            [variable] = value,
        };
        await using var silo = SiloProcess.Start(directory.Path, settings);

        Assert.Equal(1, await silo.WaitForExitAsync());
        var errors = silo.Output.Where(line => line.Contains(" FTL] ", StringComparison.Ordinal) || line.Contains(" ERR] ", StringComparison.Ordinal)).ToArray();
        var line = Assert.Single(errors);
        Assert.Contains(setting, line, StringComparison.Ordinal);
        Assert.DoesNotContain(silo.Output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }
}
