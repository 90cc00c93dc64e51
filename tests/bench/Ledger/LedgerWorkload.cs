namespace Grid.Bench.Ledger;

/// <summary>
/// Which accounts the clients hit and with what: 60% hold+capture, 30% debit, 10% deposit, on accounts
/// funded so richly that debits and holds succeed. <c>uniform</c> spreads requests over many accounts,
/// <c>hot</c> sends them all to one.
/// </summary>
public sealed class LedgerWorkload
{
    public const string Uniform = "uniform";
    public const string Hot = "hot";

    /// <summary>What each account starts with: far more than a run can spend.</summary>
    public const long Funding = 1_000_000_000_000;

    private LedgerWorkload(string name, int accounts)
    {
        Name = name;
        Accounts = accounts;
    }

    public string Name { get; }

    public int Accounts { get; }

    public static LedgerWorkload Create(string name, int uniformAccounts) => name switch
    {
        Uniform => new LedgerWorkload(name, uniformAccounts),
        Hot => new LedgerWorkload(name, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown workload."),
    };

    public string Describe() =>
        $"{Name}: {Accounts:N0} account{(Accounts == 1 ? string.Empty : "s")}, requests 60% hold+capture (2 ops), 30% debit, 10% deposit";

    public LedgerRequest Next(Random random)
    {
        var roll = random.Next(100);
        var account = Accounts == 1 ? 0 : random.Next(Accounts);
        if (roll < 60)
        {
            var hold = random.Next(100, 1_001);
            return new LedgerRequest(RequestKind.HoldCapture, account, hold, random.Next(hold / 2, hold + 1));
        }

        return roll < 90
            ? new LedgerRequest(RequestKind.Debit, account, random.Next(10, 501), 0)
            : new LedgerRequest(RequestKind.Deposit, account, random.Next(100, 1_001), 0);
    }
}
