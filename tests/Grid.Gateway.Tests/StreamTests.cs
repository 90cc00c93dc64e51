using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>GET /v1/accounts/{id}/stream: server-sent events read from the journal, resumable, on the real silo.</summary>
public sealed class StreamTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    private LedgerApi Api => fixture.Api;

    /// <summary>Reads events off a stream until <paramref name="count"/> entries came (or the time is up).</summary>
    private async Task<List<(long Id, JsonElement Entry)>> ReadEntriesAsync(string path, int count, string? key = null, string? lastEventId = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? LedgerSiloFixture.AdminKey);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await fixture.Silo.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var entries = new List<(long, JsonElement)>();
        long? id = null;
        string? kind = null;
        while (entries.Count < count && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Assert.Equal("entry", kind);
                entries.Add((id!.Value, JsonDocument.Parse(line[6..]).RootElement.Clone()));
            }
        }

        return entries;
    }

    [Fact]
    public async Task A_subscriber_sees_every_entry_of_a_thousand_concurrent_operations_in_order()
    {
        var account = await Api.CreateAccountAsync("stream-busy");
        await Api.DepositAsync(account, "fund", 1_000_000);
        var reading = ReadEntriesAsync($"/v1/accounts/{account}/stream", count: 1_002);
        await Task.Delay(300); // subscribed
        await Parallel.ForEachAsync(Enumerable.Range(0, 1_000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var debit = await Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = $"s-{i}", amount = 1 });
            Assert.Equal(HttpStatusCode.OK, debit.Status);
        });

        var entries = await reading;
        Assert.Equal(Enumerable.Range(1, 1_002).Select(i => (long)i), entries.Select(e => e.Id));
        Assert.Equal(entries.Select(e => e.Id), entries.Select(e => e.Entry.GetProperty("sequence").GetInt64()));
        Assert.Equal(1_000, entries.Count(e => e.Entry.GetProperty("kind").GetString() == "debit"));
        Assert.Equal(1_000_000 - 1_000, entries[^1].Entry.GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task Resuming_from_the_middle_yields_exactly_the_rest_by_header_or_query()
    {
        var account = await Api.CreateAccountAsync("stream-resume");
        for (var i = 0; i < 10; i++)
        {
            await Api.DepositAsync(account, $"d-{i}", 10 + i);
        }

        var byHeader = await ReadEntriesAsync($"/v1/accounts/{account}/stream", count: 5, lastEventId: "6");
        Assert.Equal([7L, 8, 9, 10, 11], byHeader.Select(e => e.Id));
        var byQuery = await ReadEntriesAsync($"/v1/accounts/{account}/stream?after=9", count: 2);
        Assert.Equal([10L, 11], byQuery.Select(e => e.Id));
        Assert.Equal(byHeader[^2..].Select(e => e.Entry.GetRawText()), byQuery.Select(e => e.Entry.GetRawText()));
    }

    [Fact]
    public async Task A_stream_is_refused_like_any_read_and_checks_its_cursor()
    {
        var mine = await Api.CreateAccountAsync("stream-mine");
        var theirs = await Api.CreateAccountAsync("stream-theirs");
        var issued = await Api.PostAsync("/v1/keys", new { accountId = mine, scopes = new[] { "read" } });
        var key = issued.Json.GetProperty("key").GetString()!;

        Assert.Single(await ReadEntriesAsync($"/v1/accounts/{mine}/stream", count: 1, key: key));
        var asKey = new LedgerApi(fixture.Silo.Http, key);
        Assert.Equal(HttpStatusCode.Forbidden, (await asKey.GetAsync($"/v1/accounts/{theirs}/stream")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new LedgerApi(fixture.Silo.Http, null).GetAsync($"/v1/accounts/{mine}/stream", key: null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("/v1/accounts/stream-nobody/stream")).Status);
        var bad = await Api.GetAsync($"/v1/accounts/{mine}/stream?after=-1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.True(bad.Json.GetProperty("errors").TryGetProperty("after", out _));
    }

    [Fact]
    public async Task Two_hundred_subscribers_of_one_account_all_receive_a_new_entry()
    {
        var account = await Api.CreateAccountAsync("stream-fanout");
        var subscribers = Enumerable.Range(0, 200).Select(_ => ReadEntriesAsync($"/v1/accounts/{account}/stream?after=1", count: 1)).ToArray();
        await Task.Delay(1_000); // all subscribed
        await Api.DepositAsync(account, "for-everyone", 7);

        var received = await Task.WhenAll(subscribers);
        Assert.All(received, entries => Assert.Equal("for-everyone", Assert.Single(entries).Entry.GetProperty("operationId").GetString()));
    }

    [Fact]
    public async Task An_idle_stream_carries_heartbeat_comments()
    {
        var account = await Api.CreateAccountAsync("stream-idle");
        using var timeout = new CancellationTokenSource(LedgerSiloFixture.HeartbeatPeriod * 6); // two are due in 2 periods; the rest is slack for a loaded machine
        using var response = await OpenAsync($"/v1/accounts/{account}/stream?after=1", timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var heartbeats = 0;
        while (heartbeats < 2 && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            Assert.False(line.StartsWith("data:", StringComparison.Ordinal), line); // nothing new was written
            heartbeats += line.StartsWith(':') ? 1 : 0;
        }

        Assert.Equal(2, heartbeats);
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_cut_off_without_slowing_the_account_and_resumes_where_it_stopped()
    {
        const int Debits = 3_000;
        var account = await Api.CreateAccountAsync("stream-stalled");
        await Api.DepositAsync(account, "fund", Debits);
        // A small receive window (set before connecting, so the kernel does not grow it) stands for a slow
        // client; the silo's side of the socket still buffers up to a few MB.
        using var slowClient = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8_192 };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = fixture.Silo.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var stalled = await OpenAsync($"/v1/accounts/{account}/stream", CancellationToken.None, slowClient);
        var body = await stalled.Content.ReadAsStreamAsync();

        // About 12 MB of events, far past what the sockets hold for a reader that never reads.
        var metadata = new { blob = new string('x', 4_000) };
        var next = -1;
        await Parallel.ForEachAsync(Enumerable.Range(0, 32), async (_, _) =>
        {
            for (var i = Interlocked.Increment(ref next); i < Debits; i = Interlocked.Increment(ref next))
            {
                var debit = await Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = $"stalled-{i}", amount = 1, metadata });
                Assert.Equal(HttpStatusCode.OK, debit.Status);
            }
        });
        var journal = await Api.JournalAsync(account);
        var last = journal[^1].GetProperty("sequence").GetInt64();

        // The silo cuts a subscriber whose socket stays full for its write timeout.
        await Task.Delay(LedgerSiloFixture.StreamWriteTimeout * 3);
        var received = new List<long>();
        using (var reader = new StreamReader(body))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                while (await reader.ReadLineAsync(timeout.Token) is { } line)
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        received.Add(long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }
            catch (IOException)
            {
                // The silo reset the connection: the end, whatever was still in flight lost.
            }

            Assert.False(timeout.IsCancellationRequested, "the stalled stream was never cut off");
        }

        Assert.True(received.Count < journal.Count, $"cut off after {received.Count} of {journal.Count} entries");
        Assert.Equal(Enumerable.Range(1, received.Count).Select(i => (long)i), received);

        // Resuming from the last entry it got yields exactly the rest.
        var from = received.Count == 0 ? 0 : received[^1];
        var rest = await ReadEntriesAsync($"/v1/accounts/{account}/stream", count: (int)(last - from), lastEventId: from.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range((int)from + 1, (int)(last - from)).Select(i => (long)i), rest.Select(e => e.Id));
    }

    [Fact]
    public async Task A_stream_ends_at_the_next_heartbeat_once_its_key_is_revoked()
    {
        var account = await Api.CreateAccountAsync("stream-revoked");
        var issued = await Api.PostAsync("/v1/keys", new { accountId = account, scopes = new[] { "read" } });
        await AssertStreamEndsOnceRevokedAsync(
            account,
            issued.Json.GetProperty("key").GetString()!,
            async () => Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(HttpMethod.Delete, "/v1/keys/" + issued.Json.GetProperty("id").GetString())).Status));
    }

    [Fact]
    public async Task A_stream_ends_at_the_next_heartbeat_once_its_accounts_tokens_are_revoked()
    {
        var account = await Api.CreateAccountAsync("stream-token-revoked");
        var issued = await Api.PostAsync($"/v1/accounts/{account}/tokens", new { scopes = new[] { "read" } });
        await AssertStreamEndsOnceRevokedAsync(
            account,
            issued.Json.GetProperty("token").GetString()!,
            async () => Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(HttpMethod.Delete, $"/v1/accounts/{account}/tokens")).Status));
    }

    [Fact]
    public async Task A_stream_of_a_busy_account_read_slowly_still_ends_at_a_heartbeat_once_its_key_is_revoked()
    {
        var account = await Api.CreateAccountAsync("stream-busy-revoked");
        await Api.DepositAsync(account, "fund", 1_000_000);
        var issued = await Api.PostAsync("/v1/keys", new { accountId = account, scopes = new[] { "read" } });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/accounts/{account}/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issued.Json.GetProperty("key").GetString()!);
        using var response = await fixture.Silo.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // Appends keep coming from many writers: one lands during every catch-up, so the stream keeps catching up and
        // never reaches a quiet tick.
        using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var streamed = Task.Run(async () =>
        {
            var last = 0L;
            while (await reader.ReadLineAsync(drained.Token) is { } line)
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    last = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return last;
        });
        using var busy = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !busy.IsCancellationRequested; i++)
            {
                await Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = $"busy-{w}-{i}", amount = 1 });
            }
        })).ToArray();

        long headAfterRevoke;
        try
        {
            await Task.Delay(LedgerSiloFixture.HeartbeatPeriod);
            Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(HttpMethod.Delete, "/v1/keys/" + issued.Json.GetProperty("id").GetString())).Status);
            await Task.Delay(LedgerSiloFixture.HeartbeatPeriod * 3);
            headAfterRevoke = (await Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance").GetProperty("sequence").GetInt64();
            await Task.Delay(LedgerSiloFixture.HeartbeatPeriod * 2); // appends go on: a stream still open would carry them
        }
        finally
        {
            await busy.CancelAsync();
            await Task.WhenAll(writers);
        }

        // Whatever was in flight drains; nothing appended well after the revocation ever reached the subscriber.
        var lastStreamed = await streamed;
        Assert.True(lastStreamed <= headAfterRevoke, $"entry {lastStreamed} streamed; the journal was at {headAfterRevoke} three heartbeats after the revocation");
    }

    /// <summary>Opens the account's stream with <paramref name="credential"/>, revokes it, and expects the stream to end before another heartbeat.</summary>
    private async Task AssertStreamEndsOnceRevokedAsync(string account, string credential, Func<Task> revoke)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/accounts/{account}/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        using var response = await fixture.Silo.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(LedgerSiloFixture.HeartbeatPeriod * 10);
        Assert.StartsWith("id: ", await reader.ReadLineAsync(timeout.Token), StringComparison.Ordinal); // the account's open entry

        await revoke();
        await Api.DepositAsync(account, "after-revoke", 5);

        var lines = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line); // entries written before the next heartbeat may still come; then the stream ends
        }

        Assert.False(timeout.IsCancellationRequested);

        // A heartbeat may have been due while the revoke was on its way (a slow machine), but none after the entry
        // written once the revoke was answered: a tick sends entries first, then checks the credential.
        var afterRevoke = lines.FindIndex(l => l.Contains("after-revoke", StringComparison.Ordinal));
        if (afterRevoke >= 0)
        {
            Assert.DoesNotContain(lines.Skip(afterRevoke + 1), l => l.StartsWith(": heartbeat", StringComparison.Ordinal));
        }
    }

    private async Task<HttpResponseMessage> OpenAsync(string path, CancellationToken cancellationToken, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LedgerSiloFixture.AdminKey);
        var response = await (client ?? fixture.Silo.Http).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}
