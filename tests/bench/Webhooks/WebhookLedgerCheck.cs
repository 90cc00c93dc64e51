using System.Data.Common;
using Grid.Bench.Ledger;

namespace Grid.Bench.Webhooks;

/// <summary>
/// After the run, from the database (what is durable, not what the grains hold): each delivered payment's account
/// has exactly one entry with the payment id as its reference, for the package's credits, and none for a payment
/// never delivered; each balance is that plus the account's acknowledged operator deposits (1 credit each, each
/// with its own entry); processed_events holds one row per distinct event id delivered; every duplicate was
/// answered <c>duplicate</c>.
/// </summary>
public static class WebhookLedgerCheck
{
    public static async Task<bool> RunAsync(
        BenchStore store, IReadOnlyList<PreparedPayment> payments, DeliverySchedule schedule, long[] deposited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(payments);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(deposited);
        await using var connection = await store.OpenAsync(cancellationToken);
        var balances = new Dictionary<string, (long Available, long Held)>(StringComparer.Ordinal);
        await ReadAsync(connection, "SELECT account_id, available, held FROM accounts WHERE account_id LIKE @prefix", cancellationToken, reader =>
            balances[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2)));

        var referenced = new Dictionary<string, List<(string Kind, long Amount, string Reference)>>(StringComparer.Ordinal);
        await ReadAsync(connection, "SELECT account_id, kind, amount, reference FROM journal WHERE account_id LIKE @prefix AND reference IS NOT NULL", cancellationToken, reader =>
        {
            var account = reader.GetString(0);
            if (!referenced.TryGetValue(account, out var entries))
            {
                referenced[account] = entries = [];
            }

            entries.Add((reader.GetString(1), reader.GetInt64(2), reader.GetString(3)));
        });

        var deposits = new Dictionary<string, long>(StringComparer.Ordinal);
        await ReadAsync(
            connection,
            $"SELECT account_id, count(*) FROM journal WHERE account_id LIKE @prefix AND operation_id LIKE '{WebhookTraffic.DepositPrefix}%' AND kind = 'deposit' AND amount = 1 GROUP BY account_id",
            cancellationToken,
            reader => deposits[reader.GetString(0)] = reader.GetInt64(1));

        long processedRows = 0, processedApplied = 0;
        await ReadAsync(connection, "SELECT count(*), count(*) FILTER (WHERE outcome = 'applied') FROM processed_events WHERE source = 'stripe'", cancellationToken, reader =>
        {
            processedRows = reader.GetInt64(0);
            processedApplied = reader.GetInt64(1);
        });

        int delivered = 0, creditedOnce = 0, uncertain = 0, untouched = 0, balancesRight = 0, depositsRight = 0;
        string? firstWrong = null;
        void Wrong(string what) => firstWrong ??= what;
        for (var i = 0; i < payments.Count; i++)
        {
            var payment = payments[i];
            var state = schedule.StateOf(i);
            var entries = referenced.GetValueOrDefault(payment.AccountId) ?? [];
            var mine = entries.Where(e => e.Reference == payment.PaymentId).ToList();
            var credited = mine.Count == 1 && mine[0].Kind == "deposit" && mine[0].Amount == payment.Credits && entries.Count == 1;
            switch (state)
            {
                case PaymentState.Applied:
                    delivered++;
                    if (credited)
                    {
                        creditedOnce++;
                    }
                    else
                    {
                        Wrong($"{payment.PaymentId} on {payment.AccountId}: {mine.Count} entries with its reference ({string.Join(", ", mine.Select(e => $"{e.Kind} {e.Amount}"))}), {entries.Count} referenced in all; expected one deposit of {payment.Credits}");
                    }

                    break;
                case PaymentState.Sent:
                    uncertain++; // its delivery failed: a failure the run already reports
                    break;
                default:
                    if (entries.Count == 0)
                    {
                        untouched++;
                    }
                    else
                    {
                        Wrong($"{payment.PaymentId} was never delivered, yet {payment.AccountId} has {entries.Count} referenced entries");
                    }

                    break;
            }

            var expectedDeposits = deposited[i];
            if (deposits.GetValueOrDefault(payment.AccountId) == expectedDeposits)
            {
                depositsRight++;
            }
            else
            {
                Wrong($"{payment.AccountId}: {deposits.GetValueOrDefault(payment.AccountId)} deposit entries, {expectedDeposits} acknowledged");
            }

            var expected = (state == PaymentState.Applied ? payment.Credits : 0) + expectedDeposits;
            var (available, held) = balances.GetValueOrDefault(payment.AccountId);
            if (state == PaymentState.Sent || (available == expected && held == 0))
            {
                balancesRight++;
            }
            else
            {
                Wrong($"{payment.AccountId}: balance {available} (held {held}), expected {expected}");
            }
        }

        var notSent = payments.Count - delivered - uncertain;
        var duplicates = schedule.DuplicatesSent;
        var answeredDuplicate = schedule.DuplicatesAnsweredDuplicate;
        var checks = new (string What, bool Ok)[]
        {
            ($"payments delivered and answered applied: {delivered:N0} ({schedule.FirstsAnsweredApplied:N0} answers); each credited exactly once (one deposit of its package's credits, its payment id as reference): {creditedOnce:N0}", creditedOnce == delivered && schedule.FirstsAnsweredApplied == delivered),
            ($"payments never delivered: {notSent:N0}; without any entry: {untouched:N0}", untouched == notSent),
            ($"payments whose delivery failed (state unknown): {uncertain:N0}", uncertain == 0),
            ($"accounts whose balance is its payment's credits plus its acknowledged deposits: {balancesRight:N0} of {payments.Count:N0}", balancesRight == payments.Count),
            ($"accounts with one deposit entry per acknowledged operator deposit ({deposited.Sum():N0} in all): {depositsRight:N0} of {payments.Count:N0}", depositsRight == payments.Count),
            ($"duplicates sent {duplicates:N0}, answered duplicate {answeredDuplicate:N0}", duplicates == answeredDuplicate),
            ($"processed_events rows {processedRows:N0} (applied {processedApplied:N0}) for {delivered:N0} distinct event ids delivered", processedRows >= delivered && processedRows <= delivered + uncertain && processedApplied == delivered),
        };
        foreach (var (what, ok) in checks)
        {
            Console.WriteLine($"  {what}: {(ok ? "ok" : "WRONG")}");
        }

        if (firstWrong is not null)
        {
            Console.WriteLine($"  first wrong: {firstWrong}");
        }

        if (schedule.FirstUnexpected is { } unexpected)
        {
            Console.WriteLine($"  first unexpected answer: {unexpected}");
        }

        return checks.All(c => c.Ok) && firstWrong is null && schedule.FirstUnexpected is null;
    }

    private static async Task ReadAsync(DbConnection connection, string sql, CancellationToken cancellationToken, Action<DbDataReader> row)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var prefix = command.CreateParameter();
        prefix.ParameterName = "prefix";
        prefix.Value = WebhookPayments.AccountPrefix + "%";
        command.Parameters.Add(prefix);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }
}
