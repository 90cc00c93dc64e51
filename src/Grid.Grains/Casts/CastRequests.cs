using System.Globalization;
using Grid.Contracts.Casts;

namespace Grid.Grains.Casts;

/// <summary>
/// A cast's requests as the fingerprints its state keeps (fields joined by '|'): a repeat under the same id is the same
/// text, and another request is a conflict naming the first field that differs. Ids and kinds hold no '|' (the grain
/// refuses a kind with one); only the last field (a failure's free-text reason) may, and a split into as many parts
/// as fields leaves it whole.
/// </summary>
internal static class CastRequests
{
    private const string LeftToTheSilo = "*";
    private const string CompleteKind = "complete";
    private const string FailKind = "fail";

    private static readonly string[] StartFields = ["accountId", "quote", "bufferPercent", "kind", "timeoutSeconds"];
    private static readonly string[] CompleteFields = ["operationId", "price", "providerCost"];
    private static readonly string[] FailFields = ["operationId", "reason"];

    /// <summary>What the client sent to start the cast; a value the silo's configuration filled in is only marked so.</summary>
    public static string Start(CastStart start)
    {
        string Sent(CastStartDefaults value, long sent) =>
            start.Defaulted.HasFlag(value) ? LeftToTheSilo : sent.ToString(CultureInfo.InvariantCulture);

        return string.Join(
            '|',
            start.AccountId,
            Sent(CastStartDefaults.Quote, start.Quote),
            Sent(CastStartDefaults.BufferPercent, start.BufferPercent),
            start.Kind ?? "",
            Sent(CastStartDefaults.Timeout, (long)start.Timeout.TotalSeconds));
    }

    /// <summary>
    /// What the client sent to complete the cast, not the markup (a retry after the operator changed it is the same
    /// request). A provider cost is compared by value: 1.5 and 1.50 are one cost.
    /// </summary>
    public static string Complete(CastCompletion completion) =>
        string.Join(
            '|',
            CompleteKind,
            completion.Price?.ToString(CultureInfo.InvariantCulture) ?? "",
            completion.ProviderCost is { } cost ? Normalized(cost).ToString(CultureInfo.InvariantCulture) : "");

    public static string Fail(CastFailure failure) => $"{FailKind}|{failure.Reason}";

    /// <summary>The same value at its smallest scale (1.50 is 1.5; dividing by a one of 28 decimal places drops trailing zeros, never a digit).</summary>
    internal static decimal Normalized(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>The field of a start that differs from the start <paramref name="known"/> records.</summary>
    public static string DifferingStartField(string known, string request) => Differing(known, request, StartFields);

    /// <summary>The field of an ending that differs from the one <paramref name="known"/> records (a completion against a failure: the operation).</summary>
    public static string DifferingEndField(string known, string request)
    {
        var kind = request.Split('|', 2)[0];
        return kind == known.Split('|', 2)[0]
            ? Differing(known, request, kind == FailKind ? FailFields : CompleteFields)
            : "operationId";
    }

    private static string Differing(string known, string request, string[] fields)
    {
        var had = known.Split('|', fields.Length);
        var asked = request.Split('|', fields.Length);
        if (had.Length == asked.Length)
        {
            for (var i = 0; i < had.Length; i++)
            {
                if (had[i] != asked[i])
                {
                    return fields[i];
                }
            }
        }

        return "operationId"; // recorded in another shape (or not different): the id is all that can be named
    }
}
