using System.Data.Common;
using Grid.Ledger.Journal;
using Grid.Ledger.Persistence;
using Npgsql;

namespace Grid.Storage.Stores.Ledger;

/// <summary>
/// The PostgreSQL write path: however many appends, one batch of at most six set-based statements
/// whose rows travel as arrays (unnest), then COMMIT: two round trips in all (Npgsql sends BEGIN with
/// the batch). Conflicts are not errors (ON CONFLICT DO NOTHING, a fenced UPDATE): each statement
/// returns the accounts it wrote, and an append whose account is missing from them is the conflict.
/// When announcing, the batch also notifies <see cref="JournalChannel"/> of each account's new last
/// sequence, which PostgreSQL delivers to listeners on commit: watchers learn of entries without polling.
/// </summary>
/// <param name="announce">Notify <see cref="JournalChannel"/> of each append (<see cref="StorageOptions.AnnounceJournal"/>).</param>
internal sealed class PostgresLedgerWriter(bool announce) : ILedgerWriter
{
    // Positional parameters: Npgsql then sends the SQL as is, without rewriting @names.
    private const string UpdateAccountsSql =
        "UPDATE accounts AS a SET sequence = u.sequence, available = u.available, held = u.held, status = u.status, " +
        "snapshot = u.snapshot, updated_at = u.updated_at " +
        "FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::bigint[]) " +
        "AS u (account_id, expected, sequence, available, held, status, snapshot, updated_at) " +
        "WHERE a.account_id = u.account_id AND a.sequence = u.expected " +
        "RETURNING a.account_id";

    private const string InsertAccountsSql =
        "INSERT INTO accounts (account_id, sequence, available, held, status, snapshot, updated_at) " +
        "SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::bigint[]) " +
        "ON CONFLICT (account_id) DO NOTHING " +
        "RETURNING account_id";

    // No conflict target, so a repeated sequence and a repeated operation id are both skipped; the
    // per-account count of inserted rows shows which append lost rows.
    private const string InsertEntriesSql =
        $"WITH inserted AS (INSERT INTO journal ({JournalRows.Columns}) " +
        "SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], " +
        "$8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::bigint[], $13::text[], $14::text[], $15::text[], $16::bigint[]) " +
        "ON CONFLICT DO NOTHING RETURNING account_id) " +
        "SELECT account_id, count(*) FROM inserted GROUP BY account_id";

    // Rail events recorded with the entries they caused, as SqlProcessedEventStore.InsertSql: a row already there is kept
    // as is, unless it was recorded as matching no payment and this one names the payment that applied it.
    private const string InsertEventsSql =
        "WITH inserted AS (INSERT INTO processed_events (source, event_id, type, payment_id, object_ref, outcome, payload, at) " +
        "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[]) " +
        SqlProcessedEventStore.OnConflictSql + " RETURNING 1) SELECT count(*) FROM inserted";

    // Usage and cast records settled by the entries, both upserts in one statement (rows unique per key: see
    // SettledRecords). Usage as SqlUsageStore.UpsertSql; casts as SqlCastStore.UpsertSql, only moving forward. Either
    // array set may be empty; the data-modifying CTEs run whether or not the final SELECT reads them.
    private const string UpsertSettledSql =
        "WITH usage_written AS (INSERT INTO usage_records (source, source_id, account_id, kind, units, provider_cost, user_price, status, at) " +
        "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $8::text[], $9::bigint[]) " +
        "ON CONFLICT (source, source_id) DO UPDATE SET units = excluded.units, provider_cost = excluded.provider_cost, " +
        "user_price = excluded.user_price, status = excluded.status RETURNING 1), " +
        "casts_written AS (INSERT INTO casts (cast_id, account_id, stage, due_at, payload, updated_at) " +
        "SELECT * FROM unnest($10::text[], $11::text[], $12::integer[], $13::bigint[], $14::text[], $15::bigint[]) " +
        "ON CONFLICT (cast_id) DO UPDATE SET stage = excluded.stage, due_at = excluded.due_at, payload = excluded.payload, " +
        "updated_at = excluded.updated_at WHERE casts.stage < excluded.stage RETURNING 1) " +
        "SELECT (SELECT count(*) FROM usage_written) + (SELECT count(*) FROM casts_written)";

    // Delivered to listeners when (and only if) the transaction commits: "account-id sequence" per account.
    private const string NotifySql = $"SELECT count(pg_notify('{JournalChannel.Name}', n)) FROM unnest($1::text[]) AS n";

    public async Task AppendAsync(DbConnection connection, IReadOnlyList<AccountAppend> appends, CancellationToken cancellationToken)
    {
        // Accounts are written (and row-locked) in account id order, so two batches that share accounts
        // wait for each other instead of deadlocking. Arrays are built before the transaction starts.
        var ordered = appends.OrderBy(a => a.AccountId, StringComparer.Ordinal).ToList();
        var updates = ordered.Where(a => a.ExpectedSequence > 0).ToList();
        var inserts = ordered.Where(a => a.ExpectedSequence == 0).ToList();

        var npgsql = (NpgsqlConnection)connection;
        await using var transaction = await npgsql.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(npgsql, transaction);
        // In key order, like the accounts, so two batches that share events wait for each other instead of deadlocking.
        // One row per event: an upsert may not meet the same key twice in one statement.
        var events = ordered.SelectMany(a => a.Events).DistinctBy(e => (e.Source, e.EventId))
            .OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList();
        if (events.Count > 0)
        {
            batch.BatchCommands.Add(InsertEvents(events));
        }

        var usage = SettledRecords.Usage(appends);
        var casts = SettledRecords.Casts(appends);
        var settled = usage.Count > 0 || casts.Count > 0;
        if (settled)
        {
            batch.BatchCommands.Add(UpsertSettled(usage, casts));
        }

        if (announce)
        {
            batch.BatchCommands.Add(Notify(ordered));
        }

        if (updates.Count > 0)
        {
            batch.BatchCommands.Add(UpdateAccounts(updates));
        }

        if (inserts.Count > 0)
        {
            batch.BatchCommands.Add(InsertAccounts(inserts));
        }

        batch.BatchCommands.Add(InsertEntries(ordered));

        var fenced = new HashSet<string>(appends.Count, StringComparer.Ordinal);
        var entriesWritten = new Dictionary<string, long>(appends.Count, StringComparer.Ordinal);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            // The event count, the settled records' count and the notification count (each when present), one
            // result per account statement (account ids), then the journal counts.
            var first = (events.Count > 0 ? 1 : 0) + (settled ? 1 : 0) + (announce ? 1 : 0);
            for (var i = 0; i < first; i++)
            {
                await reader.NextResultAsync(cancellationToken);
            }

            for (var i = first; i < batch.BatchCommands.Count - 1; i++)
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    fenced.Add(reader.GetString(0));
                }

                await reader.NextResultAsync(cancellationToken);
            }

            while (await reader.ReadAsync(cancellationToken))
            {
                entriesWritten[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        // The caller's order decides which conflict is reported when several appends lost.
        foreach (var append in appends)
        {
            if (!fenced.Contains(append.AccountId) || entriesWritten.GetValueOrDefault(append.AccountId) != append.Entries.Count)
            {
                throw new LedgerConflictException(append.AccountId, append.ExpectedSequence);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Notify(List<AccountAppend> appends)
    {
        var command = new NpgsqlBatchCommand(NotifySql);
        command.Parameters.Add(Array(appends, a => JournalChannel.Payload(a.AccountId, a.Snapshot.Sequence)));
        return command;
    }

    private static NpgsqlBatchCommand InsertEvents(List<ProcessedEvent> events) => new(InsertEventsSql)
    {
        Parameters =
        {
            Parameter(events.Select(e => e.Source).ToArray()),
            Parameter(events.Select(e => e.EventId).ToArray()),
            Parameter(events.Select(e => e.Type).ToArray()),
            Parameter(events.Select(e => e.PaymentId).ToArray()),
            Parameter(events.Select(e => e.ObjectRef).ToArray()),
            Parameter(events.Select(e => e.Outcome).ToArray()),
            Parameter(events.Select(e => e.Payload).ToArray()),
            Parameter(events.Select(e => e.At.ToUnixTimeMilliseconds()).ToArray()),
        },
    };

    private static NpgsqlBatchCommand UpsertSettled(List<UsageRecord> usage, List<CastRecord> casts) => new(UpsertSettledSql)
    {
        Parameters =
        {
            Parameter(usage.Select(u => u.Source).ToArray()),
            Parameter(usage.Select(u => u.SourceId).ToArray()),
            Parameter(usage.Select(u => u.AccountId).ToArray()),
            Parameter(usage.Select(u => u.Kind).ToArray()),
            Parameter(usage.Select(u => u.Units).ToArray()),
            Parameter(usage.Select(u => SqlUsageStore.ProviderCostText(u.ProviderCost)).ToArray()),
            Parameter(usage.Select(u => u.UserPrice).ToArray()),
            Parameter(usage.Select(u => u.Status).ToArray()),
            Parameter(usage.Select(u => u.At.ToUnixTimeMilliseconds()).ToArray()),
            Parameter(casts.Select(c => c.CastId).ToArray()),
            Parameter(casts.Select(c => c.AccountId).ToArray()),
            Parameter(casts.Select(c => (int)c.Stage).ToArray()),
            Parameter(casts.Select(c => c.DueAt?.ToUnixTimeMilliseconds()).ToArray()),
            Parameter(casts.Select(c => c.Payload).ToArray()),
            Parameter(casts.Select(c => c.UpdatedAt.ToUnixTimeMilliseconds()).ToArray()),
        },
    };

    private static NpgsqlBatchCommand UpdateAccounts(List<AccountAppend> appends)
    {
        var command = new NpgsqlBatchCommand(UpdateAccountsSql);
        var parameters = command.Parameters;
        parameters.Add(Array(appends, a => a.AccountId));
        parameters.Add(Array(appends, a => a.ExpectedSequence));
        AddSnapshotColumns(parameters, appends);
        return command;
    }

    private static NpgsqlBatchCommand InsertAccounts(List<AccountAppend> appends)
    {
        var command = new NpgsqlBatchCommand(InsertAccountsSql);
        var parameters = command.Parameters;
        parameters.Add(Array(appends, a => a.AccountId));
        AddSnapshotColumns(parameters, appends);
        return command;
    }

    // sequence, available, held, status, snapshot, updated_at: the same columns in both account statements.
    private static void AddSnapshotColumns(NpgsqlParameterCollection parameters, List<AccountAppend> appends)
    {
        parameters.Add(Array(appends, a => a.Snapshot.Sequence));
        parameters.Add(Array(appends, a => a.Snapshot.Available));
        parameters.Add(Array(appends, a => a.Snapshot.Held));
        parameters.Add(Array(appends, a => JournalRows.StatusName(a.Snapshot.Status)));
        parameters.Add(Array(appends, a => LedgerJson.Serialize(a.Snapshot)));
        parameters.Add(Array(appends, a => a.Snapshot.UpdatedAt.ToUnixTimeMilliseconds()));
    }

    private static NpgsqlBatchCommand InsertEntries(List<AccountAppend> appends)
    {
        var count = appends.Sum(a => a.Entries.Count);
        var accountId = new string[count];
        var sequence = new long[count];
        var kind = new string[count];
        var amount = new long[count];
        var released = new long[count];
        var availableAfter = new long[count];
        var heldAfter = new long[count];
        var operationId = new string[count];
        var holdId = new string?[count];
        var holdAmount = new long?[count];
        var holdCaptured = new long?[count];
        var expiresAt = new long?[count];
        var reference = new string?[count];
        var metadata = new string?[count];
        var request = new string[count];
        var at = new long[count];

        var row = 0;
        foreach (var append in appends)
        {
            foreach (var entry in append.Entries)
            {
                accountId[row] = append.AccountId;
                sequence[row] = entry.Sequence;
                kind[row] = JournalEntryKinds.Name(entry.Kind);
                amount[row] = entry.Amount;
                released[row] = entry.Released;
                availableAfter[row] = entry.AvailableAfter;
                heldAfter[row] = entry.HeldAfter;
                operationId[row] = entry.OperationId;
                holdId[row] = entry.HoldId;
                holdAmount[row] = entry.HoldAmount;
                holdCaptured[row] = entry.HoldCaptured;
                expiresAt[row] = entry.ExpiresAt?.ToUnixTimeMilliseconds();
                reference[row] = entry.Reference;
                metadata[row] = entry.Metadata;
                request[row] = entry.Request;
                at[row] = entry.At.ToUnixTimeMilliseconds();
                row++;
            }
        }

        return new NpgsqlBatchCommand(InsertEntriesSql)
        {
            Parameters =
            {
                Parameter(accountId), Parameter(sequence), Parameter(kind), Parameter(amount), Parameter(released),
                Parameter(availableAfter), Parameter(heldAfter), Parameter(operationId), Parameter(holdId),
                Parameter(holdAmount), Parameter(holdCaptured), Parameter(expiresAt), Parameter(reference),
                Parameter(metadata), Parameter(request), Parameter(at),
            },
        };
    }

    private static NpgsqlParameter<T[]> Array<T>(List<AccountAppend> appends, Func<AccountAppend, T> column)
    {
        var values = new T[appends.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = column(appends[i]);
        }

        return Parameter(values);
    }

    // Generic parameters: Npgsql writes the array without boxing its elements.
    private static NpgsqlParameter<T[]> Parameter<T>(T[] values) => new() { TypedValue = values };
}
