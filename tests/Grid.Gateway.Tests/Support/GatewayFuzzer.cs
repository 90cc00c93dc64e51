using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Grid.Gateway.Tests.Support;

/// <summary>
/// Generates requests to every gateway route that must not change anything, from a seed (same seed, same
/// requests). Invalid by construction: every body sent to a command route carries at least one refused field
/// or is not a readable JSON object (an empty body is sent only where required fields then go missing); DELETE
/// of an existing key goes without the admin key; wrong methods and unknown paths match no route that writes.
/// Reads may succeed, and change nothing when they do. Percent-encoded NUL stays out of paths: Kestrel refuses
/// such a request line itself, before the gateway sees it. GET /v1/auth/siwe/nonce is left out: issuing a nonce
/// writes one (that is its purpose), and SiweNonceTests covers it.
/// </summary>
public sealed class GatewayFuzzer(int seed, FuzzTargets targets)
{
    private const long MaxAmount = 9_007_199_254_740_991;

    private static readonly Command[] Commands =
    [
        new("/v1/accounts", [new("id", FieldKind.Id, false), new("name", FieldKind.Text, false, MaxLength: 200), new("overdraftLimit", FieldKind.Amount, false, 0, MaxAmount)]),
        new("/v1/accounts/{id}/deposits", [OperationId(), Amount(1), new("reference", FieldKind.Text, false, MaxLength: 256), new("metadata", FieldKind.Object, false)]),
        new("/v1/accounts/{id}/debits", [OperationId(), Amount(1), new("reason", FieldKind.Text, false, MaxLength: 256), new("metadata", FieldKind.Object, false)]),
        new("/v1/accounts/{id}/refunds", [OperationId(), Amount(1), new("reason", FieldKind.Text, false, MaxLength: 256), new("metadata", FieldKind.Object, false)]),
        new("/v1/accounts/{id}/adjustments", [OperationId(), new("amount", FieldKind.SignedAmount, true, -MaxAmount, MaxAmount), new("reason", FieldKind.RequiredText, true, MaxLength: 256)]),
        new("/v1/accounts/{id}/holds", [OperationId(), Amount(1), new("expiresInSeconds", FieldKind.Amount, false, 1, 2_592_000), new("reference", FieldKind.Text, false, MaxLength: 256)]),
        new("/v1/accounts/{id}/holds/{holdId}/capture", [OperationId(), Amount(0), new("final", FieldKind.Boolean, false)]),
        new("/v1/accounts/{id}/holds/{holdId}/void", [OperationId()]),
        new("/v1/accounts/{id}/freeze", [OperationId(), new("reason", FieldKind.Text, false, MaxLength: 256)]),
        new("/v1/accounts/{id}/unfreeze", [OperationId()]),
        new("/v1/accounts/{id}/close", [OperationId()]),
        new("/v1/keys", [new("accountId", FieldKind.Id, true), new("scopes", FieldKind.Scopes, true), new("name", FieldKind.Text, false, MaxLength: 100)]),
        new("/v1/accounts/{id}/tokens", [new("scopes", FieldKind.Scopes, false), new("expiresInSeconds", FieldKind.Amount, false, 1, 86_400)]),
        new("/v1/auth/siwe/verify", [new("message", FieldKind.RequiredText, true, MaxLength: 4_000), new("signature", FieldKind.RequiredText, true, MaxLength: 200)]),
        // Unsigned (and the fuzzed silo has no webhook secret): every delivery must be a 400 that records nothing.
        new("/v1/webhooks/stripe", [new("id", FieldKind.Text, true, MaxLength: 64), new("type", FieldKind.Text, true, MaxLength: 64), new("data", FieldKind.Object, false)]),
    ];

    /// <summary>Route templates as mapped, for wrong methods.</summary>
    private static readonly string[] Routes =
    [
        "/v1/accounts", "/v1/accounts/{id}", "/v1/accounts/{id}/holds", "/v1/accounts/{id}/journal", "/v1/accounts/{id}/stream",
        "/v1/accounts/{id}/deposits", "/v1/accounts/{id}/debits", "/v1/accounts/{id}/refunds", "/v1/accounts/{id}/adjustments",
        "/v1/accounts/{id}/holds/{holdId}/capture", "/v1/accounts/{id}/holds/{holdId}/void", "/v1/accounts/{id}/freeze",
        "/v1/accounts/{id}/unfreeze", "/v1/accounts/{id}/close", "/v1/keys", "/v1/cluster", "/v1/accounts/{id}/tokens", "/v1/auth/siwe/verify", "/v1/webhooks/stripe",
    ];

    private static readonly string[] JsonContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-16", "APPLICATION/JSON",
        "application/problem+json", "application/vnd.grid+json", "application/json; boundary=\"x\"",
    ];

    private static readonly string[] OtherContentTypes =
    [
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/xml", "text/json",
        "", "*/*", "application/", "json", "application/json/extra", ";;;", "application/octet-stream", "text/html; charset=x",
    ];

    private static readonly string[] WeirdSegments =
    [
        "", ".", "..", "%2e%2e", "%2F", "%5C", "~", "v1", "v2", "accounts", "keys", "cluster", "holds", "journal", "stream", "capture",
        "void", "%20", "%25", "%ZZ", "%C3%28", "%E2%82", "%F0%9F%92%A5", "%01", "%7F", "%FF", "'", "%22", "%3C%3E", "*", "@", ":", ";x=1",
        "%3Fq", "a%23b", "openapi", "v1.json", "health", "live", "grid", "calls", "metrics", "dashboard", "index.html", "%E0%A4%A8",
    ];

    private static readonly string[] OddMethods = ["PUT", "PATCH", "OPTIONS", "HEAD", "FOO", "PROPFIND", "TRACE", "M-SEARCH", "get", "Post"];

    private readonly Random _random = new(seed);
    private int _counter;

    private enum FieldKind { Id, Amount, SignedAmount, Text, RequiredText, Object, Boolean, Scopes }

    public FuzzRequest Next(int index)
    {
        var roll = _random.Next(100);
        return roll switch
        {
            < 50 => CommandRequest(index),
            < 70 => ReadRequest(index),
            < 76 => RevokeRequest(index),
            < 88 => WrongMethodRequest(index),
            _ => RandomPathRequest(index),
        };
    }

    private static Field OperationId() => new("operationId", FieldKind.Id, true);

    private static Field Amount(long min) => new("amount", FieldKind.Amount, true, min, MaxAmount);

    private FuzzRequest CommandRequest(int index)
    {
        var command = Pick(Commands);
        var headers = Headers(allowAdmin: true);
        var (body, kind) = CommandBody(command);
        var contentType = _random.Next(100) < 85 ? Pick(JsonContentTypes) : Pick(OtherContentTypes);
        if (body is not null && _random.Next(20) == 0)
        {
            contentType = null;
        }

        return new FuzzRequest(index, "POST", Fill(command.Template), headers, body, contentType, "command " + kind, Chunked: _random.Next(5) == 0);
    }

    /// <summary>A body this command must refuse, and what was done to it.</summary>
    private (byte[]? Body, string Kind) CommandBody(Command command)
    {
        var fields = ValidFields(command);
        var required = command.Fields.Where(f => f.Required).ToArray();
        string kind;
        var mode = _random.Next(100);
        if (mode < 4 && required.Length > 0)
        {
            // No body at all reads as an empty object: the required fields are missing.
            return (null, "no body");
        }

        if (mode < 24 && required.Length > 0)
        {
            var dropped = Pick(required);
            fields.RemoveAll(f => f.Name == dropped.Name);
            kind = $"without {dropped.Name}";
        }
        else
        {
            var poisoned = command.Fields.OrderBy(_ => _random.Next()).Take(1 + _random.Next(Math.Min(2, command.Fields.Length))).ToArray();
            foreach (var field in poisoned)
            {
                fields.RemoveAll(f => f.Name == field.Name);
                fields.Insert(_random.Next(fields.Count + 1), (field.Name, Poison(field)));
            }

            kind = "bad " + string.Join(",", poisoned.Select(f => f.Name));
        }

        AddNoise(fields);
        var json = Encoding.UTF8.GetBytes(ObjectText(fields));
        return _random.Next(100) < 35 ? Malformed(json, fields, kind) : (json, kind);
    }

    /// <summary>Valid values for the required fields and some optional ones.</summary>
    private List<(string Name, string Json)> ValidFields(Command command)
    {
        var fields = new List<(string Name, string Json)>();
        foreach (var field in command.Fields.Where(f => f.Required || _random.Next(2) == 0))
        {
            fields.Add((field.Name, field.Kind switch
            {
                FieldKind.Id => Quote($"fz-{_random.Next(1_000_000)}"),
                FieldKind.Amount => Number(field.Min + _random.Next(100)),
                FieldKind.SignedAmount => Number(_random.Next(2) == 0 ? 1 + _random.Next(50) : -1 - _random.Next(50)),
                FieldKind.Text or FieldKind.RequiredText => Quote(Pick(["note", "ünïcödé ✓", "emoji 💥", "tab\\there", "a"])),
                FieldKind.Object => Pick(["{}", """{"k":1}""", """{"nested":{"a":[1,2,3]},"s":"ü"}"""]),
                FieldKind.Boolean => Pick(["true", "false"]),
                FieldKind.Scopes => Pick(["""["read"]""", """["charge","read"]""", """["admin"]"""]),
                _ => throw new ArgumentOutOfRangeException(nameof(command), field.Kind, null),
            }));
        }

        return fields;
    }

    /// <summary>A JSON value the field's route refuses, whatever else the body holds.</summary>
    private string Poison(Field field) => field.Kind switch
    {
        FieldKind.Id => Pick(
        [
            "\"\"", "\" \"", "\"a b\"", "\"a/b\"", "\"ä\"", "\"💥\"", "\"x\\u0000y\"", Quote(new string('a', 129)), "42", "true", "[]", "{}",
            "\"\\ud800\"", "\"a\\nb\"", Quote(new string('z', 5_000)), "1e400", "\"a\\u0000\"", "\"tab\\t\"", "\"semi;colon\"",
        ]),
        FieldKind.Amount => Pick(
        [
            Number(field.Min - 1), Number(field.Max + 1), "1.5", "0.5", "-0.5", "\"10\"", "true", "[1]", "{}", "1e30", "-1e30", "1e400", "-1e400",
            "99999999999999999999999999999", "-99999999999999999999999999999", "18446744073709551616", "-9223372036854775809",
            "1e-9223372036854775808", "-1e-9223372036854775808",
        ]),
        FieldKind.SignedAmount => Pick(
        [
            "0", "-0", "0.0", "0e10", Number(field.Min - 1), Number(field.Max + 1), "1.5", "\"-5\"", "false", "[]", "1e300", "-1e300",
            "9223372036854775807", "-9223372036854775808", "1e-9223372036854775808",
        ]),
        FieldKind.Text => Pick(["\"\"", Quote(new string('r', field.MaxLength + 1)), "5", "false", "[]", "{}", "\"\\udc00\"", "\"a\\u0000b\""]),
        FieldKind.RequiredText => Pick(["\"\"", "\"   \"", "\"\\t\\n\"", Quote(new string('r', field.MaxLength + 1)), "5", "[]", "{}", "\"\\ud83d\"", "\"\\u0000\""]),
        FieldKind.Object => Pick(["\"text\"", "[1,2]", "7", "true", "\"{}\"", "{\"k\":\"" + new string('m', 5_000) + "\"}"]),
        FieldKind.Boolean => Pick(["\"yes\"", "1", "0", "\"true\"", "[]", "{}", "\"false\""]),
        FieldKind.Scopes => Pick(["[]", "[\"root\"]", "\"read\"", "[1]", "[null]", "{}", "[\"read\",\"superuser\"]", "[\"READ\"]", "[[\"read\"]]", "true"]),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field.Kind, null),
    };

    /// <summary>Unknown fields are ignored by the routes: they add size, unicode and nesting, never validity.</summary>
    private void AddNoise(List<(string Name, string Json)> fields)
    {
        for (var i = _random.Next(4); i > 0; i--)
        {
            var name = _random.Next(10) == 0
                ? Pick(["\"\\ud800\"", "\"a\\udfff\"", "\"\\u0000\"", "\"\\ud83d\\udca5\""]) // JSON text as it is: escapes a string could not carry
                : Pick(["x", "ü", "💥", "__proto__", "constructor", "$type", "", " ", "amount ", "OperationId", "AMOUNT", "currency"]) + (_counter++).ToString(CultureInfo.InvariantCulture);
            fields.Insert(_random.Next(fields.Count + 1), (name, Pick(
            [
                "null", "true", "0", "-0", "1e-400", "\"\\u0000\"", "\"\\ud83d\\udca5\"", "[[[[[]]]]]", "{\"a\":{\"b\":{\"c\":null}}}",
                Number(long.MaxValue), Number(long.MinValue), "1.7976931348623157e308", "\"" + new string('ß', 50) + "\"",
            ])));
        }
    }

    /// <summary>The body made unreadable: cut short, not an object, nested too deep, too big, bytes, duplicates...</summary>
    private (byte[] Body, string Kind) Malformed(byte[] json, List<(string Name, string Json)> fields, string kind)
    {
        switch (_random.Next(12))
        {
            case 0:
                return (json[..(1 + _random.Next(json.Length - 1))], kind + ", cut short");
            case 1:
                return (Encoding.UTF8.GetBytes(Pick(["[]", "null", "\"text\"", "5", "true", "[" + ObjectText(fields) + "]", "\"{}\"", " ", "\t\r\n"])), "not an object");
            case 2:
                var depth = 33 + _random.Next(20_000);
                var nested = _random.Next(2) == 0
                    ? string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)
                    : new string('[', depth) + new string(']', _random.Next(depth));
                return (Encoding.UTF8.GetBytes(nested), $"nested {depth} deep");
            case 3:
                var pad = 64 * 1024 + _random.Next(200_000);
                return (Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('p', pad) + "\"," + ObjectText(fields)[1..]), $"{pad} bytes of padding");
            case 4:
                var bytes = new byte[1 + _random.Next(2_000)];
                _random.NextBytes(bytes);
                bytes[0] = (byte)(0x80 + _random.Next(0x80)); // never '{' or whitespace: not an object, whatever follows
                return (bytes, "random bytes");
            case 5:
                var duplicate = fields.Count > 0 ? Pick(fields.ToArray()).Name : "operationId";
                var doubled = new List<(string Name, string Json)>(fields) { (duplicate, "\"dup\"") };
                if (fields.Count == 0)
                {
                    doubled.Add((duplicate, "\"dup\""));
                }

                return (Encoding.UTF8.GetBytes(ObjectText(doubled)), kind + $", {duplicate} twice");
            case 6:
                var text = Encoding.UTF8.GetString(json);
                return (Encoding.UTF8.GetBytes(text[..^1] + Pick([",}", "}}", "} x", "//c\n}", "/* c */}", ",,}"])), kind + ", trailing junk");
            case 7:
                return (Insert(json, [0x00]), kind + ", raw NUL");
            case 8:
                return (Insert(json, Pick<byte[]>([[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]])), kind + ", bad UTF-8");
            case 9:
                return ([0xEF, 0xBB, 0xBF, .. json], kind + ", BOM");
            case 10:
                return (Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json).Replace('"', '\'')), "single quotes");
            default:
                return (Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(json)), kind + ", UTF-16");
        }
    }

    private byte[] Insert(byte[] json, byte[] inserted)
    {
        var at = 1 + _random.Next(json.Length - 1);
        return [.. json[..at], .. inserted, .. json[at..]];
    }

    private FuzzRequest ReadRequest(int index)
    {
        var headers = Headers(allowAdmin: true);
        var account = PathAccount();
        switch (_random.Next(8))
        {
            case 0:
                return Read(index, $"/v1/accounts/{account}", headers, "read account");
            case 1:
                return Read(index, $"/v1/accounts/{account}/holds", headers, "read holds");
            case 2:
            case 3:
                return Read(index, $"/v1/accounts/{account}/journal{Query(["after", "limit"])}", headers, "read journal");
            case 4:
                if (_random.Next(6) > 0)
                {
                    // A cursor the stream refuses (a good one now and then, to open a real stream).
                    if (_random.Next(2) == 0)
                    {
                        headers.Add(new("Last-Event-ID", Pick(["x", "-1", "1.5", "99999999999999999999", " 1", "1e3", "0x10", "1_000"])));
                        return Read(index, $"/v1/accounts/{account}/stream", headers, "stream, bad Last-Event-ID");
                    }

                    return Read(index, $"/v1/accounts/{account}/stream?after={Pick(["x", "-1", "1.5", "99999999999999999999", "%20", "%E2%82%AC", "1&after=2", "", "+1"])}", headers, "stream, bad after");
                }

                return Read(index, $"/v1/accounts/{account}/stream?after={_random.Next(5)}", headers, "stream");
            case 5:
                return Read(index, $"/v1/keys{Query(["accountId"])}", headers, "list keys");
            case 6:
                return Read(index, "/v1/cluster", headers, "cluster");
            default:
                return Read(index, Pick(["/health/live", "/health/ready", "/openapi/v1.json", "/openapi/v9.json", "/openapi/%2e%2e.json"]), headers, "operations");
        }
    }

    private static FuzzRequest Read(int index, string target, List<KeyValuePair<string, string>> headers, string kind) =>
        new(index, "GET", target, headers, null, null, kind);

    private FuzzRequest RevokeRequest(int index)
    {
        if (_random.Next(3) == 0)
        {
            // A key that exists, without the admin key: refused whatever else is said.
            return new FuzzRequest(index, "DELETE", "/v1/keys/" + Pick(targets.KeyIds.ToArray()), Headers(allowAdmin: false), null, null, "revoke without the admin key");
        }

        var id = Pick(["nokey", "%20", "a%2Fb", "%E2%82%AC", new string('k', 129), new string('k', 3_000), "..", "%2e%2e", Base64Url(16), "gk_" + Base64Url(16), "%01"]);
        return new FuzzRequest(index, "DELETE", "/v1/keys/" + id, Headers(allowAdmin: true), null, null, "revoke a key that does not exist");
    }

    private FuzzRequest WrongMethodRequest(int index)
    {
        var route = Pick(Routes);
        var methods = new List<string>(OddMethods);
        if (route is not ("/v1/keys/{id}" or "/v1/accounts/{id}/tokens"))
        {
            methods.Add("DELETE"); // mapped on these two (revocations), so not a wrong method there
        }

        if (route.EndsWith("/deposits", StringComparison.Ordinal) || route.EndsWith("/debits", StringComparison.Ordinal) || route.EndsWith("/capture", StringComparison.Ordinal))
        {
            methods.Add("GET");
        }

        if (route is "/v1/accounts/{id}" or "/v1/accounts/{id}/journal" or "/v1/accounts/{id}/stream" or "/v1/cluster")
        {
            methods.Add("POST"); // not mapped on these paths; the body is garbage besides
        }

        var method = Pick(methods.ToArray());
        var isPost = method.Equals("POST", StringComparison.OrdinalIgnoreCase); // routing matches methods in any case
        var body = _random.Next(3) == 0 || isPost ? Encoding.UTF8.GetBytes("{\"operationId\":") : null;
        return new FuzzRequest(index, method, Fill(route), Headers(allowAdmin: true), body, body is null ? null : "application/json", "wrong method");
    }

    private FuzzRequest RandomPathRequest(int index)
    {
        var segments = Enumerable.Range(0, _random.Next(7)).Select(_ => _random.Next(4) switch
        {
            0 => Pick(WeirdSegments),
            1 => Uri.EscapeDataString(RandomText(1 + _random.Next(40))).Replace("%00", "%20", StringComparison.Ordinal),
            2 => Pick([targets.FundedAccount, targets.FrozenAccount, targets.HoldId, "fz-nobody"]),
            _ => new string('s', _random.Next(1_000)), // six of these stay under Kestrel's 8 KiB request line
        });
        var target = (_random.Next(3) == 0 ? "/v1/" : "/") + string.Join("/", segments);
        if (_random.Next(4) == 0)
        {
            target += "?" + Uri.EscapeDataString(RandomText(_random.Next(30))).Replace("%00", "%20", StringComparison.Ordinal) + "=" + Pick(["", "1", "%FF", "a=b=c"]);
        }

        var method = Pick(["GET", "GET", "HEAD", "PUT", "OPTIONS", "FOO", "POST", "PATCH"]);
        var body = method is "POST" or "PUT" or "PATCH" ? Encoding.UTF8.GetBytes(Pick(["{\"operationId\":", "[", "x", "{\"id\":\"a b\"}"])) : null;
        return new FuzzRequest(index, method, target, Headers(allowAdmin: true), body, body is null ? null : Pick(JsonContentTypes), "random path");
    }

    /// <summary>Authorization of every sort, and other headers now and then.</summary>
    private List<KeyValuePair<string, string>> Headers(bool allowAdmin)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var roll = _random.Next(100);
        string? authorization = roll switch
        {
            < 55 when allowAdmin => Pick(["Bearer ", "bearer ", "BEARER ", "Bearer  "]) + targets.AdminKey + Pick(["", " ", "  "]),
            < 75 => "Bearer " + Pick(targets.AccountKeys.ToArray()),
            < 85 => null,
            _ => Pick(
            [
                "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer gk_", "Bearer gk_x_y", "Bearer gk__", "Token abc", "Bearer " + targets.AdminKey + "x",
                "Bearer " + targets.AdminKey[..^1], "Bearer gk_" + Pick(targets.KeyIds.ToArray()) + "_" + Base64Url(32), "Bearer gk_" + new string('A', 2_000),
                "Bearer " + RandomAscii(1 + _random.Next(16_000)), RandomAscii(1 + _random.Next(300)), "Bearer " + targets.AdminKey + ", Bearer x",
                "Bearer null", "Bearer undefined", "Bearer \"" + targets.AdminKey + "\"",
            ]),
        };
        if (authorization is not null)
        {
            headers.Add(new("Authorization", authorization));
        }

        for (var i = _random.Next(100) < 30 ? 1 + _random.Next(4) : 0; i > 0; i--)
        {
            headers.Add(Pick<KeyValuePair<string, string>>(
            [
                new("X-Fuzz-" + _random.Next(100).ToString(CultureInfo.InvariantCulture), RandomAscii(_random.Next(200))),
                new("Accept", Pick(["*/*", "text/html", "application/xml", "text/event-stream", "application/problem+json", ";;", "application/json;q=0"])),
                new("Last-Event-ID", RandomAscii(_random.Next(30))),
                new("X-Forwarded-For", Pick(["1.2.3.4", "::1", "garbage", "1.1.1.1, 2.2.2.2"])),
                new("Accept-Encoding", Pick(["gzip, br", "identity;q=0", "*"])),
                new("If-None-Match", "*"),
                new("Cookie", RandomAscii(_random.Next(100))),
                new("Origin", Pick(["null", "https://evil.example", "x"])),
                new("Range", "bytes=0-1"),
            ]));
        }

        return headers;
    }

    /// <summary>A route template with its ids filled: mostly the seeded ones, else missing or malformed.</summary>
    private string Fill(string template) => template.Replace("{id}", PathAccount(), StringComparison.Ordinal).Replace("{holdId}", PathHold(), StringComparison.Ordinal);

    private string PathAccount() => _random.Next(100) switch
    {
        < 70 => Pick(targets.Accounts.ToArray()),
        < 80 => "fz-nobody-" + _random.Next(1000).ToString(CultureInfo.InvariantCulture),
        _ => BadPathId(),
    };

    private string PathHold() => _random.Next(100) switch
    {
        < 60 => targets.HoldId,
        < 75 => "fz-no-hold",
        _ => BadPathId(),
    };

    private string BadPathId() => Pick(
    [
        "has%20space", "%E2%82%AC", "%F0%9F%92%A5", new string('a', 129), new string('b', 4_000), "a%2Fb", "%2e%2e", "%C3%28", "%01", "%7F", "a%3Bb", "%FF%FE",
    ]);

    private string Query(string[] names)
    {
        var parts = new List<string>();
        foreach (var name in names.Where(_ => _random.Next(3) > 0))
        {
            parts.Add(name + "=" + Pick(
            [
                "0", "1", "5", "1000", "1001", "-1", "x", "1.5", "", "99999999999999999999", "9223372036854775807", "%20", "%E2%82%AC", "1e3", "+5",
                "0x10", targets.FundedAccount, "has%20space", new string('9', 300), "%FF", "١",
            ]));
            if (_random.Next(8) == 0)
            {
                parts.Add(name + "=" + _random.Next(10).ToString(CultureInfo.InvariantCulture)); // repeated
            }
        }

        if (_random.Next(6) == 0)
        {
            parts.Add(Uri.EscapeDataString(RandomText(1 + _random.Next(10))).Replace("%00", "%20", StringComparison.Ordinal) + "=1");
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join("&", parts);
    }

    /// <summary>The fields as a JSON object; a name that starts with a quote is JSON text already.</summary>
    private static string ObjectText(IEnumerable<(string Name, string Json)> fields) =>
        "{" + string.Join(",", fields.Select(f => (f.Name.StartsWith('"') ? f.Name : JsonSerializer.Serialize(f.Name)) + ":" + f.Json)) + "}";

    private static string Quote(string text) => "\"" + text + "\"";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Printable ASCII only: HttpClient sends no header value with controls or other characters.</summary>
    private string RandomAscii(int length) => string.Create(length, _random, static (span, random) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (char)random.Next(0x20, 0x7F);
        }
    });

    /// <summary>Any text: ASCII, Latin, CJK, emoji, controls (including NUL).</summary>
    private string RandomText(int length)
    {
        var text = new StringBuilder();
        while (text.Length < length)
        {
            text.Append(_random.Next(6) switch
            {
                0 => (char)_random.Next(0, 0x20),
                1 => (char)_random.Next(0x20, 0x7F),
                2 => (char)_random.Next(0xA0, 0x250),
                3 => (char)_random.Next(0x4E00, 0x9FFF),
                4 => "💥",
                _ => "/",
            });
        }

        return text.ToString();
    }

    private string Base64Url(int bytes)
    {
        var buffer = new byte[bytes];
        _random.NextBytes(buffer);
        return Convert.ToBase64String(buffer).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private sealed record Field(string Name, FieldKind Kind, bool Required, long Min = 0, long Max = 0, int MaxLength = 0);

    private sealed record Command(string Template, Field[] Fields);
}
