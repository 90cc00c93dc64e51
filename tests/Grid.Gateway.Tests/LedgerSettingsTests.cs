namespace Grid.Gateway.Tests;

/// <summary>
/// The ledger's settings (Grid:Ledger:*) are checked before the silo starts, like the runtime's; an
/// integer setting that is not a number is one line too (it used to escape as an unhandled exception).
/// </summary>
public sealed class LedgerSettingsTests
{
    [Theory]
    [InlineData("Grid__Ledger__IdempotencyWindow", "5", "Grid:Ledger:IdempotencyWindow")]
    [InlineData("Grid__Ledger__Writers", "0", "Grid:Ledger:Writers")]
    [InlineData("Grid__Ledger__MaxAppendBatch", "many", "Grid:Ledger:MaxAppendBatch")]
    [InlineData("Grid__Runtime__MaxActivations", "lots", "Grid:Runtime:MaxActivations")]
    public async Task Bad_ledger_setting_fails_start_up_with_one_line_naming_it(string variable, string value, string setting)
    {
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string> { [variable] = value });

        Assert.Equal(1, await silo.WaitForExitAsync());
        var errors = silo.Output.Where(line => line.Contains(" FTL] ", StringComparison.Ordinal) || line.Contains(" ERR] ", StringComparison.Ordinal)).ToArray();
        var line = Assert.Single(errors);
        Assert.Contains(setting, line);
        Assert.DoesNotContain(silo.Output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }
}
