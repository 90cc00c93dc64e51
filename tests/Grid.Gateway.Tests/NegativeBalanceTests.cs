using System.Net;
using Grid.Gateway.Tests.Support;
using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Journal;
using Grid.Ledger.Persistence;

namespace Grid.Gateway.Tests;

/// <summary>
/// An account a payment rail took below zero, over HTTP: it reads as in debt, and debits and holds are 402
/// negative_balance until a deposit brings it back. No route lets a client take money back or force a hold, so the
/// rail's part (the account's history up to the reversal) is written into the silo's store before the silo first
/// loads the account, as an account the rail's grain had written.
/// </summary>
public sealed class NegativeBalanceTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    private LedgerApi Api => fixture.Api;

    [Fact]
    public async Task After_a_reversal_beyond_available_the_account_is_in_debt_and_a_debit_is_402_negative_balance()
    {
        const string id = "debt-reversed";
        await StoreHistoryAsync(id, overdraftLimit: 1_000, new Deposit("pay-1", 100, "pay_1"), new Reverse("pay-1-chargeback", 150, "pay_1"));

        var account = await Api.GetAsync($"/v1/accounts/{id}");
        Assert.Equal(HttpStatusCode.OK, account.Status);
        Assert.True(account.Json.GetProperty("inDebt").GetBoolean());
        Assert.Equal(-50, account.Json.GetProperty("balance").GetProperty("available").GetInt64());

        var debit = await Api.PostAsync($"/v1/accounts/{id}/debits", new { operationId = "spend-1", amount = 10 });
        Assert.Equal(HttpStatusCode.PaymentRequired, debit.Status);
        Assert.Equal("negative_balance", debit.Code);
        Assert.Equal("Negative balance", debit.Json.GetProperty("title").GetString());
        Assert.Equal(-50, debit.Json.GetProperty("available").GetInt64());

        // A client cannot force a hold: the field is not read, so this is an ordinary hold, refused like the debit.
        var hold = await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = "hold-1", amount = 10, forced = true });
        Assert.Equal(HttpStatusCode.PaymentRequired, hold.Status);
        Assert.Equal("negative_balance", hold.Code);
        Assert.Empty((await Api.GetAsync($"/v1/accounts/{id}/holds")).Json.GetProperty("holds").EnumerateArray());

        await Api.DepositAsync(id, "top-up", 80);
        var settled = await Api.GetAsync($"/v1/accounts/{id}");
        Assert.False(settled.Json.GetProperty("inDebt").GetBoolean());
        var again = await Api.PostAsync($"/v1/accounts/{id}/debits", new { operationId = "spend-1", amount = 10 });
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(20, again.Json.GetProperty("balance").GetProperty("available").GetInt64());
        Assert.False((await fixture.Store.LoadAsync(id, CancellationToken.None))!.InDebt);
    }

    [Fact]
    public async Task A_new_account_reads_as_not_in_debt()
    {
        var created = await Api.PostAsync("/v1/accounts", new { id = "debt-none" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.False(created.Json.GetProperty("inDebt").GetBoolean());
        Assert.False((await Api.GetAsync("/v1/accounts/debt-none")).Json.GetProperty("inDebt").GetBoolean());
    }

    /// <summary>Opens <paramref name="accountId"/>, applies the commands and stores entries and snapshot as the silo would.</summary>
    private async Task StoreHistoryAsync(string accountId, long overdraftLimit, params LedgerCommand[] commands)
    {
        Assert.Null(await fixture.Store.LoadAsync(accountId, CancellationToken.None));
        var ledger = AccountLedger.CreateNew(accountId, 1_000);
        var now = DateTimeOffset.UtcNow;
        var entries = new List<JournalEntry> { ledger.Execute(new OpenAccount("Rail", OverdraftLimit: overdraftLimit), now).Entry };
        entries.AddRange(commands.Select(command => ledger.Execute(command, now).Entry));
        await fixture.Store.AppendAsync([new AccountAppend(0, ledger.ToSnapshot(), entries)], CancellationToken.None);
    }
}
