using System.Globalization;
using System.Text.Json;

namespace Grid.Chain.Rpc.Json;

/// <summary>
/// Reads JSON-RPC 2.0 response envelopes: checks the version and ids, and hands back each call's
/// <c>result</c> or throws the failure its <c>error</c> describes.
/// </summary>
internal static class RpcResponseReader
{
    /// <summary>The result of the one call with <paramref name="id"/>.</summary>
    public static JsonElement Single(JsonElement root, long id, string method)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw RpcErrorClassifier.Malformed(method, $"a single call was answered with a JSON {Describe(root.ValueKind)}");
        }

        CheckVersion(root, method);
        var answerId = ReadId(root, method);

        // An error about the request as a whole (say, it could not be parsed) has a null id.
        if (TryGetError(root, out var error))
        {
            if (answerId is { } other && other != id)
            {
                throw RpcErrorClassifier.Malformed(method, $"the answer has id {other.ToString(CultureInfo.InvariantCulture)}, not {id.ToString(CultureInfo.InvariantCulture)}");
            }

            throw RpcErrorClassifier.FromErrorObject(error, method);
        }

        if (answerId != id)
        {
            throw RpcErrorClassifier.Malformed(method, $"the answer has id {answerId?.ToString(CultureInfo.InvariantCulture) ?? "null"}, not {id.ToString(CultureInfo.InvariantCulture)}");
        }

        return Result(root, method);
    }

    /// <summary>
    /// The results of a batch, in the order of <paramref name="ids"/>, matched by id since a node may answer
    /// in any order. When calls failed, throws the first failure no retry can cure, else the first one.
    /// </summary>
    public static JsonElement[] Batch(JsonElement root, IReadOnlyList<long> ids, string method)
    {
        // Some providers answer a whole batch they refuse (rate limit, size) with one error object.
        if (root.ValueKind == JsonValueKind.Object)
        {
            CheckVersion(root, method);
            if (TryGetError(root, out var error))
            {
                throw RpcErrorClassifier.FromErrorObject(error, method);
            }

            throw RpcErrorClassifier.Malformed(method, "a batch was answered with a single result");
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw RpcErrorClassifier.Malformed(method, $"a batch was answered with a JSON {Describe(root.ValueKind)}");
        }

        var positions = new Dictionary<long, int>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            positions.Add(ids[i], i);
        }

        var answers = new JsonElement?[ids.Count];
        foreach (var answer in root.EnumerateArray())
        {
            if (answer.ValueKind != JsonValueKind.Object)
            {
                throw RpcErrorClassifier.Malformed(method, $"a batch answer holds a JSON {Describe(answer.ValueKind)}");
            }

            CheckVersion(answer, method);
            var id = ReadId(answer, method) ?? throw RpcErrorClassifier.Malformed(method, "a batch answer has no id");
            if (!positions.TryGetValue(id, out var position))
            {
                throw RpcErrorClassifier.Malformed(method, $"a batch answer has id {id.ToString(CultureInfo.InvariantCulture)}, which was not asked");
            }

            if (answers[position] is not null)
            {
                throw RpcErrorClassifier.Malformed(method, $"the batch answers id {id.ToString(CultureInfo.InvariantCulture)} twice");
            }

            answers[position] = answer;
        }

        var results = new JsonElement[ids.Count];
        ChainRpcException? retryable = null;
        for (var i = 0; i < ids.Count; i++)
        {
            if (answers[i] is not { } answer)
            {
                throw RpcErrorClassifier.Malformed(method, $"the batch has no answer for id {ids[i].ToString(CultureInfo.InvariantCulture)}");
            }

            if (TryGetError(answer, out var error))
            {
                var failure = RpcErrorClassifier.FromErrorObject(error, method);
                if (!failure.IsRetryable)
                {
                    throw failure;
                }

                retryable ??= failure;
                continue;
            }

            results[i] = Result(answer, method);
        }

        return retryable is null ? results : throw retryable;
    }

    private static void CheckVersion(JsonElement envelope, string method)
    {
        if (!envelope.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            throw RpcErrorClassifier.Malformed(method, "\"jsonrpc\" is not \"2.0\"");
        }
    }

    // Ids go out as numbers; a proxy that echoes them as strings of the same digits is tolerated.
    private static long? ReadId(JsonElement envelope, string method)
    {
        if (!envelope.TryGetProperty("id", out var id) || id.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var number))
        {
            return number;
        }

        if (id.ValueKind == JsonValueKind.String && long.TryParse(id.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw RpcErrorClassifier.Malformed(method, $"an answer has the id {RpcErrorClassifier.Quote(id.GetRawText())}, which was not asked");
    }

    private static bool TryGetError(JsonElement envelope, out JsonElement error) =>
        envelope.TryGetProperty("error", out error) && error.ValueKind != JsonValueKind.Null;

    private static JsonElement Result(JsonElement envelope, string method) =>
        envelope.TryGetProperty("result", out var result)
            ? result
            : throw RpcErrorClassifier.Malformed(method, "an answer has neither result nor error");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
