using System.Net;
using System.Text;
using System.Text.Json;
using Grid.Contracts.Chain;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// What the grid recorded for chain deposits, read the way an operator would: deposit entries through the journal
/// route, and the processed_events rows (source <c>chain</c>) written with them, straight from the silo's database.
/// </summary>
public sealed class ChainRecords(ChainSiloFixture fixture)
{
    /// <summary>The processed_events type of a credit.</summary>
    public const string Credited = "deposit.credited";

    /// <summary>The deposit entries of <paramref name="accountId"/>'s journal; none when the account does not exist.</summary>
    public async Task<IReadOnlyList<JsonElement>> DepositsAsync(string accountId)
    {
        var account = await fixture.Api.GetAsync($"/v1/accounts/{accountId}");
        if (account.Status == HttpStatusCode.NotFound)
        {
            return [];
        }

        Assert.True(account.IsSuccess, account.ToString());
        return [.. (await fixture.Api.JournalAsync(accountId)).Where(e => e.GetProperty("kind").GetString() == "deposit")];
    }

    /// <summary>Every chain row of processed_events.</summary>
    public async Task<IReadOnlyList<ChainEventRow>> EventsAsync()
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id, type, payment_id, object_ref FROM processed_events WHERE source = 'chain' ORDER BY at, event_id";
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        var rows = new List<ChainEventRow>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rows.Add(new ChainEventRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }

    /// <summary>The credit rows of the given transactions.</summary>
    public async Task<IReadOnlyList<ChainEventRow>> CreditsOfAsync(IEnumerable<string> transactions)
    {
        var wanted = transactions.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. (await EventsAsync()).Where(e => e.Type == Credited && wanted.Contains(e.Transaction))];
    }

    /// <summary>Waits until the given transactions have <paramref name="count"/> credit rows between them.</summary>
    public async Task WaitForCreditsAsync(IReadOnlyCollection<string> transactions, int count, TimeSpan? within = null)
    {
        var seen = 0;
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    seen = (await CreditsOfAsync(transactions)).Count;
                    return seen >= count;
                },
                $"{count} credits",
                within ?? ChainApi.Patience);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{count} of {transactions.Count} deposits were to be credited; {seen} were. Silo output:\n{string.Join('\n', fixture.Silo.Output.TakeLast(40))}");
        }
    }

    /// <summary>A wallet's own guest account.</summary>
    public static string WalletAccount(string address) => "wallet-" + address[2..].ToLowerInvariant();

    /// <summary>The payment a deposit without a usable intent belongs to (the first of the grid's logs in its transaction).</summary>
    public static string DepositPaymentId(string transaction) =>
        ChainPaymentIds.ForDeposit(new ChainDeposit((ulong)ChainSiloFixture.ChainId, transaction.ToLowerInvariant(), 0, ChainDepositKind.Contract, "", null, "0", null));

    /// <summary>The <c>ref</c> that names a payment: its id's ASCII, zero-padded to 32 bytes.</summary>
    public static byte[] ReferenceTo(string paymentId)
    {
        var reference = new byte[32];
        Encoding.ASCII.GetBytes(paymentId, reference);
        return reference;
    }
}
