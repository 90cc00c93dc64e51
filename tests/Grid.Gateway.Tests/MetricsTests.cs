using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// GET /metrics on the real silo: requests by route pattern and status, grain calls by type, method and
/// outcome, journal appends, append batch sizes and storage latency move by exactly what the requests did,
/// the text is valid exposition format; and the request log names callers without ever printing a secret.
/// </summary>
public sealed class MetricsTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    private const string Requests = "grid_http_requests_total";
    private const string GrainCalls = "grid_grain_calls_total";

    private LedgerApi Api => fixture.Api;

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        using var response = await fixture.Silo.Http.GetAsync("/metrics"); // anonymous, like health
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return PrometheusScrape.Parse(await response.Content.ReadAsStringAsync());
    }

    private static (string, string)[] Route(string method, string route, int status) =>
        [("method", method), ("route", route), ("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Requests_grain_calls_and_journal_appends_move_by_exactly_what_was_done()
    {
        const string account = "metrics-ledger";
        var before = await ScrapeAsync();

        await Api.CreateAccountAsync(account);
        await Api.DepositAsync(account, "fund", 100);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = $"debit-{i}", amount = 10 })).Status);
        }

        Assert.Equal(HttpStatusCode.PaymentRequired, (await Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = "too-much", amount = 1_000 })).Status);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await Api.PostAsync($"/v1/accounts/{account}/holds", new { operationId = $"hold-{i}", amount = 5 })).Status);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("/v1/accounts/metrics-nobody")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("/v1/no/such/route/metrics-nobody")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.GetAsync($"/v1/accounts/{account}", key: null)).Status);

        var after = await ScrapeAsync();
        double Moved(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);

        // By route pattern, never by path: no account id becomes a label.
        Assert.Equal(1, Moved(Requests, Route("POST", "/v1/accounts/", 201)));
        Assert.Equal(1, Moved(Requests, Route("POST", "/v1/accounts/{id}/deposits", 200)));
        Assert.Equal(3, Moved(Requests, Route("POST", "/v1/accounts/{id}/debits", 200)));
        Assert.Equal(1, Moved(Requests, Route("POST", "/v1/accounts/{id}/debits", 402)));
        Assert.Equal(2, Moved(Requests, Route("POST", "/v1/accounts/{id}/holds", 201)));
        Assert.Equal(1, Moved(Requests, Route("GET", "/v1/accounts/{id}", 404)));
        Assert.Equal(1, Moved(Requests, Route("GET", "/v1/accounts/{id}", 401)));
        Assert.Equal(1, Moved(Requests, Route("GET", "unmatched", 404)));
        Assert.DoesNotContain(after.Samples, s => s.Labels.Values.Any(v => v.Contains("metrics-", StringComparison.Ordinal)));
        Assert.Equal(3, Moved("grid_http_request_duration_seconds_count", Route("POST", "/v1/accounts/{id}/debits", 200)));
        Assert.True(after.Value(Requests, Route("GET", "/metrics", 200)) >= 1, "the first scrape is counted by the second");

        // Grain calls where they ran: every command is IAccountGrain.Execute; the refused debit threw.
        Assert.Equal(7, Moved(GrainCalls, ("grain", "account"), ("method", "IAccountGrain.Execute"), ("outcome", "ok")));
        Assert.Equal(1, Moved(GrainCalls, ("grain", "account"), ("method", "IAccountGrain.Execute"), ("outcome", "error")));
        Assert.Equal(1, Moved(GrainCalls, ("grain", "account"), ("method", "IAccountGrain.Get"), ("outcome", "ok")));
        Assert.True(Moved("grid_grain_call_duration_seconds_count", ("grain", "account"), ("method", "IAccountGrain.Execute")) >= 1, "a new activation's first call is timed");
        Assert.True(after.Value("grid_grain_activations", ("grain", "account")) >= 2);

        // Seven entries (open, deposit, three debits, two holds), one transaction each: these requests came one at a time.
        Assert.Equal(7, Moved("grid_journal_appends_total", ("provider", "sqlite")));
        Assert.Equal(7, Moved("grid_journal_append_batch_size_sum", ("provider", "sqlite")));
        var transactions = Moved("grid_journal_append_batch_size_count", ("provider", "sqlite"));
        Assert.InRange(transactions, 1, 7);
        Assert.Equal(transactions, Moved("grid_storage_append_duration_seconds_count", ("outcome", "ok"), ("provider", "sqlite")));
        Assert.True(Moved("grid_storage_append_duration_seconds_sum", ("outcome", "ok"), ("provider", "sqlite")) > 0);
    }

    [Fact]
    public async Task The_exposition_declares_every_metric_and_nothing_else()
    {
        await Api.CreateAccountAsync("metrics-families");
        var scrape = await ScrapeAsync(); // Parse checks the format itself

        Assert.Equal("counter", scrape.Families[Requests]);
        Assert.Equal("histogram", scrape.Families["grid_http_request_duration_seconds"]);
        Assert.Equal("counter", scrape.Families[GrainCalls]);
        Assert.Equal("histogram", scrape.Families["grid_grain_call_duration_seconds"]);
        Assert.Equal("gauge", scrape.Families["grid_grain_activations"]);
        Assert.Equal("counter", scrape.Families["grid_journal_appends_total"]);
        Assert.Equal("histogram", scrape.Families["grid_journal_append_batch_size"]);
        Assert.Equal("histogram", scrape.Families["grid_storage_append_duration_seconds"]);
        Assert.Equal("counter", scrape.Families["grid_metrics_dropped_measurements_total"]);
        Assert.DoesNotContain(scrape.Samples, s => s.Name == "grid_metrics_dropped_measurements_total");
        Assert.All(scrape.Families.Keys, name => Assert.StartsWith("grid_", name, StringComparison.Ordinal));
        Assert.Equal(
            ["+Inf", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "10", "2.5", "30", "5"],
            scrape.Samples.Where(s => s.Name == "grid_http_request_duration_seconds_bucket" && s.Labels["route"] == "/v1/accounts/")
                .Select(s => s.Labels["le"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_request_log_names_the_caller_but_never_a_secret_a_header_or_a_query()
    {
        const string account = "metrics-log";
        await Api.CreateAccountAsync(account);
        await Api.DepositAsync(account, "fund", 100);
        var issued = await Api.PostAsync("/v1/keys", new { accountId = account, scopes = new[] { "charge", "read" } });
        Assert.Equal(HttpStatusCode.Created, issued.Status);
        var key = issued.Json.GetProperty("key").GetString()!;
        var keyId = issued.Json.GetProperty("id").GetString()!;
        var secret = key[("gk_" + keyId + "_").Length..];

        var asKey = new LedgerApi(fixture.Silo.Http, key);
        Assert.Equal(HttpStatusCode.OK, (await asKey.PostAsync($"/v1/accounts/{account}/debits", new { operationId = "logged", amount = 1 })).Status);
        Assert.Equal(HttpStatusCode.OK, (await asKey.GetAsync($"/v1/accounts/{account}/journal?after=0&limit=5")).Status);
        var forged = "gk_" + keyId + "_" + new string('A', secret.Length); // the right id, a wrong secret
        Assert.Equal(HttpStatusCode.Unauthorized, (await new LedgerApi(fixture.Silo.Http, forged).GetAsync($"/v1/accounts/{account}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync($"/v1/keys?accountId={account}")).Status);
        await ScrapeAsync();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Silo.Http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asKey.GetAsync($"/v1/accounts/{account}?probe=last")).Status);

        // Lines are written as each request finishes; the last request's line means every earlier one is there.
        await Eventually.TrueAsync(
            () => Requests().Count(l => l.Contains("GET /v1/accounts/{id} answered 200", StringComparison.Ordinal) && l.Contains("key " + keyId, StringComparison.Ordinal)) == 1,
            "the last request's log line");
        var lines = Requests();
        Assert.Contains(lines, l => l.Contains("POST /v1/accounts/{id}/debits answered 200", StringComparison.Ordinal) && l.EndsWith("for key " + keyId, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("GET /v1/accounts/{id}/journal answered 200", StringComparison.Ordinal) && l.EndsWith("for key " + keyId, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("GET /v1/accounts/{id} answered 401", StringComparison.Ordinal) && l.EndsWith("for invalid token", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("GET /v1/keys/ answered 200", StringComparison.Ordinal) && l.EndsWith("for operator", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("POST /v1/keys/ answered 201", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("/metrics", StringComparison.Ordinal) || l.Contains("/health", StringComparison.Ordinal));

        var output = string.Join('\n', fixture.Silo.Output);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(forged[("gk_" + keyId + "_").Length..], output, StringComparison.Ordinal);
        Assert.DoesNotContain(LedgerSiloFixture.AdminKey, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("accountId=", output, StringComparison.Ordinal);
        Assert.DoesNotContain("probe=", output, StringComparison.Ordinal);
        Assert.DoesNotContain("/v1/accounts/" + account, output, StringComparison.Ordinal);

        List<string> Requests() => fixture.Silo.Output.Where(l => l.Contains("RequestTelemetryMiddleware", StringComparison.Ordinal)).ToList();
    }
}
