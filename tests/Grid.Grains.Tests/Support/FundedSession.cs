using Grid.Contracts.Sessions;
using Grid.Ledger.Commands;
using Grid.Runtime;

namespace Grid.Grains.Tests.Support;

/// <summary>The session the session tests start from.</summary>
public static class FundedSession
{
    /// <summary>A payer with 10,000, a host, and a session holding 2,000 at 0.8 a unit with a checkpoint every 1,000 units.</summary>
    public static async Task<ISessionGrain> StartAsync(LedgerSilo silo, string id)
    {
        await silo.Account("payer").Execute(new OpenAccount());
        await silo.Account("payer").Execute(new Deposit("fund", 10_000));
        await silo.Account("host").Execute(new OpenAccount());
        var session = silo.Grains.GetGrain<ISessionGrain>(id);
        await session.Start(new SessionStart("payer", "host", 2_000, 0.8m, 1_000));
        return session;
    }
}
