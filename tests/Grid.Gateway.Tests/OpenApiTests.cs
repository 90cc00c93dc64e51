using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// GET /openapi/v1.json on the real silo, read as a client would (anonymously): every route of API.md's
/// "Accounts and ledger" and "Keys and auth" tables is there with its scope, its body's required fields and
/// problem+json answers; the cluster port's silo-to-silo routes are not.
/// </summary>
public sealed class OpenApiTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    private const string DocumentPath = "/openapi/v1.json";

    /// <summary>API.md's first two tables: method, path template, scope ("none": no token).</summary>
    public static TheoryData<string, string, string> ContractRoutes() => new()
    {
        { "POST", "/v1/accounts", "admin" },
        { "GET", "/v1/accounts/{id}", "read" },
        { "POST", "/v1/accounts/{id}/adjustments", "admin" },
        { "POST", "/v1/accounts/{id}/debits", "charge" },
        { "POST", "/v1/accounts/{id}/holds", "charge" },
        { "POST", "/v1/accounts/{id}/holds/{holdId}/capture", "charge" },
        { "POST", "/v1/accounts/{id}/holds/{holdId}/void", "charge" },
        { "GET", "/v1/accounts/{id}/holds", "read" },
        { "GET", "/v1/accounts/{id}/journal", "read" },
        { "GET", "/v1/accounts/{id}/stream", "read" },
        { "POST", "/v1/keys", "admin" },
        { "GET", "/v1/keys", "admin" },
        { "DELETE", "/v1/keys/{id}", "admin" },
        { "GET", "/v1/topups/packages", "none" },
        { "POST", "/v1/accounts/{id}/topups/checkout", "charge" },
        { "POST", "/v1/webhooks/stripe", "none" },
        { "GET", "/v1/payments/{paymentId}", "none" },
        { "PUT", "/v1/accounts/{id}/auto-reload", "admin" },
        { "GET", "/v1/accounts/{id}/auto-reload", "read" },
        { "DELETE", "/v1/accounts/{id}/auto-reload", "admin" },
        { "POST", "/v1/payments/onchain", "none" },
        { "POST", "/v1/payments/{paymentId}/tx", "none" },
        { "POST", "/v1/accounts/{id}/wallets", "admin" },
        { "DELETE", "/v1/accounts/{id}/wallets/{address}", "admin" },
        { "DELETE", "/v1/accounts/{id}/tokens", "admin" },
        { "GET", "/v1/pricing", "none" },
        { "POST", "/v1/casts", "charge" },
        { "POST", "/v1/casts/{castId}/complete", "charge" },
        { "POST", "/v1/casts/{castId}/fail", "charge" },
        { "GET", "/v1/casts/{castId}", "read" },
        { "POST", "/v1/sessions", "charge" },
        { "POST", "/v1/sessions/{id}/usage", "charge" },
        { "POST", "/v1/sessions/{id}/end", "charge" },
        { "GET", "/v1/sessions/{id}", "read" },
    };

    /// <summary>
    /// SIWE ROUTES: the last two rows of API.md "Keys and auth". The sign-in routes are mapped by the SIWE work;
    /// until it is in, these two cases fail (and only these).
    /// </summary>
    public static TheoryData<string, string, string> SiweRoutes() => new()
    {
        { "GET", "/v1/auth/siwe/nonce", "none" },
        { "POST", "/v1/auth/siwe/verify", "none" },
    };

    /// <summary>Every POST of the two tables and the gateway's other commands: path, required fields, other fields.</summary>
    public static TheoryData<string, string[], string[]> PostBodies() => new()
    {
        { "/v1/accounts", [], ["id", "name", "overdraftLimit"] },
        { "/v1/accounts/{id}/adjustments", ["operationId", "amount", "reason"], [] },
        { "/v1/accounts/{id}/debits", ["operationId", "amount"], ["reason", "metadata"] },
        { "/v1/accounts/{id}/holds", ["operationId", "amount"], ["expiresInSeconds", "reference"] },
        { "/v1/accounts/{id}/holds/{holdId}/capture", ["operationId", "amount"], ["final"] },
        { "/v1/accounts/{id}/holds/{holdId}/void", ["operationId"], [] },
        { "/v1/keys", ["accountId", "scopes"], ["name"] },
        { "/v1/accounts/{id}/deposits", ["operationId", "amount"], ["reference", "metadata"] },
        { "/v1/accounts/{id}/refunds", ["operationId", "amount"], ["reason", "metadata"] },
        { "/v1/accounts/{id}/freeze", ["operationId"], ["reason"] },
        { "/v1/accounts/{id}/unfreeze", ["operationId"], [] },
        { "/v1/accounts/{id}/close", ["operationId"], [] },
        { "/v1/accounts/{id}/topups/checkout", ["operationId"], ["packageId", "amountCents"] },
        { "/v1/payments/onchain", ["operationId", "wallet", "token", "chainId"], ["amountCredits", "accountId"] },
        { "/v1/payments/{paymentId}/tx", ["txHash"], [] },
        { "/v1/accounts/{id}/wallets", ["message", "signature"], [] },
        { "/v1/casts", ["operationId", "accountId"], ["quote", "bufferPercent", "kind", "timeoutSeconds"] },
        { "/v1/casts/{castId}/complete", ["operationId"], ["providerCost", "price"] },
        { "/v1/casts/{castId}/fail", ["operationId", "reason"], [] },
        { "/v1/sessions", ["operationId", "accountId", "hostAccountId", "deposit", "pricePerUnit"], ["checkpointUnits"] },
        { "/v1/sessions/{id}/usage", ["operationId", "units"], [] },
        { "/v1/sessions/{id}/end", ["operationId"], [] },
    };

    [Fact]
    public async Task The_document_is_served_without_a_token_as_openapi_3_json()
    {
        var response = await fixture.Api.GetAsync(DocumentPath, key: null);

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        Assert.Equal("application/json", response.MediaType);
        Assert.StartsWith("3.", response.Json.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("info").GetProperty("title").GetString()));
    }

    [Fact]
    public async Task A_document_that_does_not_exist_is_a_problem()
    {
        var response = await fixture.Api.GetAsync("/openapi/v2.json", key: null);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("not_found", response.Code);
    }

    [Theory]
    [MemberData(nameof(ContractRoutes))]
    public async Task Every_contract_route_is_described_with_its_scope(string method, string path, string scope) =>
        AssertDescribed(await DocumentAsync(), method, path, scope);

    [Fact]
    public async Task The_routes_that_say_what_work_costs_are_marked_as_settling_and_no_other_charge_route_is()
    {
        // A hold's capture or void, a cast's ending, and a session's price, usage and end: the server's, never an end user's.
        string[] settling =
        [
            "POST /v1/accounts/{id}/holds/{holdId}/capture", "POST /v1/accounts/{id}/holds/{holdId}/void",
            "POST /v1/casts/{castId}/complete", "POST /v1/casts/{castId}/fail",
            "POST /v1/sessions", "POST /v1/sessions/{id}/usage", "POST /v1/sessions/{id}/end",
        ];
        var marked = Operations(await DocumentAsync())
            .Where(o => o.Operation.TryGetProperty("x-grid-settles", out var settles) && settles.GetBoolean())
            .Select(o => $"{o.Method} {o.Path}");
        Assert.Equal(settling.Order(StringComparer.Ordinal), marked.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SiweRoutes))]
    public async Task The_sign_in_routes_are_described_and_take_no_token(string method, string path, string scope)
    {
        var document = await DocumentAsync();
        AssertDescribed(document, method, path, scope);
        if (method == "POST")
        {
            AssertBody(document, path, ["message", "signature"], []);
        }
    }

    [Fact]
    public async Task Every_operation_has_a_unique_id_a_summary_and_problem_answers_with_a_code()
    {
        var document = await DocumentAsync();
        var ids = new List<string>();
        foreach (var (method, path, operation) in Operations(document))
        {
            var id = operation.GetProperty("operationId").GetString();
            Assert.False(string.IsNullOrEmpty(id), $"{method} {path} has no operationId");
            ids.Add(id!);
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");

            var responses = operation.GetProperty("responses");
            Assert.Contains(responses.EnumerateObject(), r => r.Name.StartsWith('2'));
            Assert.True(responses.TryGetProperty("429", out _), $"{method} {path} does not say it may be rate limited");
            foreach (var response in responses.EnumerateObject().Where(r => !r.Name.StartsWith('2')))
            {
                var content = response.Value.GetProperty("content");
                Assert.True(content.TryGetProperty("application/problem+json", out var problem), $"{method} {path} {response.Name} is not problem+json");
                var schema = Resolve(document, problem.GetProperty("schema"));
                Assert.Contains("code", Strings(schema.GetProperty("required")));
                Assert.True(schema.GetProperty("properties").TryGetProperty("code", out _));
            }
        }

        Assert.True(ids.Count >= 18, $"only {ids.Count} operations");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(PostBodies))]
    public async Task Every_post_describes_its_json_body_and_the_fields_it_requires(string path, string[] required, string[] optional) =>
        AssertBody(await DocumentAsync(), path, required, optional);

    [Fact]
    public async Task Request_fields_carry_the_contract_rules()
    {
        var document = await DocumentAsync();
        var debit = Resolve(document, Operation(document, "POST", "/v1/accounts/{id}/debits")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")).GetProperty("properties");

        Assert.Equal("^[A-Za-z0-9_.:-]{1,128}$", debit.GetProperty("operationId").GetProperty("pattern").GetString());
        var amount = debit.GetProperty("amount");
        Assert.Equal("integer", amount.GetProperty("type").GetString()); // a number, never a string
        Assert.Equal(1, amount.GetProperty("minimum").GetInt64());
        Assert.Equal(9_007_199_254_740_991, amount.GetProperty("maximum").GetInt64());

        var capture = Resolve(document, Operation(document, "POST", "/v1/accounts/{id}/holds/{holdId}/capture")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")).GetProperty("properties");
        Assert.Equal(0, capture.GetProperty("amount").GetProperty("minimum").GetInt64());

        var journal = Operation(document, "GET", "/v1/accounts/{id}/journal").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToArray();
        Assert.Contains("after", journal);
        Assert.Contains("limit", journal);
    }

    [Fact]
    public async Task Simple_responses_have_schemas()
    {
        var document = await DocumentAsync();

        var account = ResponseSchema(document, "GET", "/v1/accounts/{id}", "200");
        Assert.All(new[] { "id", "name", "status", "guest", "balance", "createdAt" }, f => Assert.True(account.GetProperty("properties").TryGetProperty(f, out _), f));
        var balance = Resolve(document, account.GetProperty("properties").GetProperty("balance"));
        Assert.All(new[] { "available", "held", "sequence" }, f => Assert.True(balance.GetProperty("properties").TryGetProperty(f, out _), f));

        var hold = ResponseSchema(document, "POST", "/v1/accounts/{id}/holds", "201");
        Assert.All(new[] { "id", "amount", "captured", "status", "expiresAt" }, f => Assert.True(hold.GetProperty("properties").TryGetProperty(f, out _), f));
        Assert.True(ResponseSchema(document, "POST", "/v1/accounts/{id}/debits", "200").GetProperty("properties").TryGetProperty("entry", out _));
        Assert.True(ResponseSchema(document, "GET", "/v1/accounts/{id}/journal", "200").GetProperty("properties").TryGetProperty("next", out _));
        Assert.True(ResponseSchema(document, "POST", "/v1/keys", "201").GetProperty("properties").TryGetProperty("key", out _));
        Assert.True(Operation(document, "DELETE", "/v1/keys/{id}").GetProperty("responses").TryGetProperty("204", out _));
        Assert.True(Operation(document, "GET", "/v1/accounts/{id}/stream").GetProperty("responses").GetProperty("200")
            .GetProperty("content").TryGetProperty("text/event-stream", out _));
        Assert.True(Operation(document, "POST", "/v1/accounts/{id}/debits").GetProperty("responses").TryGetProperty("402", out _));
    }

    [Fact]
    public async Task The_bearer_scheme_is_declared()
    {
        var scheme = (await DocumentAsync()).GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");

        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task The_cluster_ports_routes_are_left_out_of_a_clustered_silos_document()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        const string secret = "openapi-cluster-secret-0123456789abcdef";
        var clusterPort = SiloProcess.FreePort();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = LedgerSiloFixture.AdminKey,
            ["Grid__Storage__Provider"] = "postgres",
            ["Grid__Storage__ConnectionString"] = database.ConnectionString,
            ["Grid__Cluster__Enabled"] = "true",
            ["Grid__Cluster__SiloName"] = "openapi",
            ["Grid__Cluster__Endpoint"] = $"http://127.0.0.1:{clusterPort}",
            ["Grid__Cluster__Secret"] = secret,
        });
        await silo.WaitReadyAsync();

        // The routes are there, on the cluster port (HTTP/2 only) ...
        using (var cluster = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact })
        {
            using var manifest = await cluster.GetAsync($"http://127.0.0.1:{clusterPort}/grid/v1/cluster");
            Assert.Equal(HttpStatusCode.Unauthorized, manifest.StatusCode);
        }

        // ... and not in the document, which still has the public routes.
        using var response = await silo.Http.GetAsync(DocumentPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.DoesNotContain(paths, p => p.StartsWith("/grid/", StringComparison.Ordinal));
        Assert.Contains("/v1/accounts/{id}/debits", paths);
        Assert.Contains("/v1/cluster", paths);
    }

    private static void AssertBody(JsonElement document, string path, string[] required, string[] optional)
    {
        var operation = Operation(document, "POST", path);
        Assert.True(operation.TryGetProperty("requestBody", out var body), $"POST {path} describes no body");
        var schema = Resolve(document, body.GetProperty("content").GetProperty("application/json").GetProperty("schema"));

        Assert.Equal("object", schema.GetProperty("type").GetString());
        var named = schema.TryGetProperty("required", out var list) ? Strings(list) : [];
        Assert.Equal(required.Order(StringComparer.Ordinal), named.Order(StringComparer.Ordinal));
        var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.All(required.Concat(optional), field => Assert.Contains(field, properties));
    }

    private static void AssertDescribed(JsonElement document, string method, string path, string scope)
    {
        var operation = Operation(document, method, path);
        if (scope == "none")
        {
            Assert.False(operation.TryGetProperty("x-grid-scope", out _), $"{method} {path} should take no token");
            Assert.True(!operation.TryGetProperty("security", out var none) || none.GetArrayLength() == 0, $"{method} {path} should take no token");
            return;
        }

        Assert.Equal(scope, operation.GetProperty("x-grid-scope").GetString());
        var security = operation.GetProperty("security");
        Assert.Contains(security.EnumerateArray(), requirement => requirement.TryGetProperty("bearer", out _));
        var responses = operation.GetProperty("responses");
        Assert.True(responses.TryGetProperty("401", out _), $"{method} {path} does not say 401");
        Assert.True(responses.TryGetProperty("403", out _), $"{method} {path} does not say 403");
    }

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await fixture.Api.GetAsync(DocumentPath, key: null);
        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        return response.Json;
    }

    private static JsonElement Operation(JsonElement document, string method, string path)
    {
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item), $"{path} is not in the document");
        Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is not in the document");
        return operation;
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(o => (o.Name.ToUpperInvariant(), path.Name, o.Value)));

    private static JsonElement ResponseSchema(JsonElement document, string method, string path, string status) =>
        Resolve(document, Operation(document, method, path).GetProperty("responses").GetProperty(status)
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));

    /// <summary>Follows a <c>#/components/schemas/...</c> reference (or returns the schema given).</summary>
    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        const string prefix = "#/components/schemas/";
        var target = reference.GetString()!;
        Assert.StartsWith(prefix, target, StringComparison.Ordinal);
        return document.GetProperty("components").GetProperty("schemas").GetProperty(target[prefix.Length..]);
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
