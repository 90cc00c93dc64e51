using System.Globalization;
using System.Text;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Ledger.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grid.Gateway.Usage;

/// <summary>
/// <c>GET /v1/accounts/{id}/usage?from=&amp;to=&amp;groupBy=day|kind&amp;format=json|csv</c>: what the account's casts
/// (and sessions) used and were charged, summed by the database per UTC day or per kind.
/// </summary>
internal static class UsageEndpoints
{
    /// <summary>The longest range one summary covers.</summary>
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(366);

    private static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);

    public static void MapUsageEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/accounts").RequireAccess()
            .MapGet("/{id}/usage", SummarizeAsync)
            .WithName("GetUsage")
            .WithSummary("Usage summed per UTC day or per kind over [from, to) (ISO 8601; default the last 30 days, at most 366); format=csv for a spreadsheet.")
            .Produces<UsageResponse>()
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
            .RequireScope(ApiScope.Read);
    }

    private static async Task<IResult> SummarizeAsync(string id, HttpContext http, IUsageStore usage, Grid.Runtime.IGrainFactory grains, TimeProvider time)
    {
        if (AccountIds.PathProblem(id) is { } invalidId)
        {
            return invalidId;
        }

        var query = http.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var to = Instant(query["to"], "to", errors) ?? time.GetUtcNow();
        var from = Instant(query["from"], "from", errors) ?? to - DefaultRange;
        var groupBy = query["groupBy"].ToString() is { Length: > 0 } named ? named : "day";
        var format = query["format"].ToString() is { Length: > 0 } asked ? asked : "json";
        if (groupBy is not ("day" or "kind"))
        {
            errors["groupBy"] = ["groupBy is day or kind."];
        }

        if (format is not ("json" or "csv"))
        {
            errors["format"] = ["format is json or csv."];
        }

        if (errors.Count == 0 && (to <= from || to - from > MaxRange))
        {
            errors["from"] = [$"from must be before to, and at most {MaxRange.TotalDays:F0} days before it."];
        }

        if (errors.Count > 0)
        {
            return LedgerProblems.Validation(errors);
        }

        return await LedgerCalls.ReadAsync(http, grains, id, async account =>
        {
            await LedgerCalls.ExistingAsync(account, id);
            IReadOnlyList<UsageSummaryRow> rows;
            UsageSummaryRow total;
            try
            {
                rows = await usage.SummarizeAsync(id, from, to, groupBy == "day" ? UsageGrouping.Day : UsageGrouping.Kind, http.RequestAborted);
                if (rows.Count > IUsageStore.MaxGroups)
                {
                    return LedgerProblems.Validation("groupBy", $"The usage in this range has more than {IUsageStore.MaxGroups} kinds; ask for a shorter range, or group by day.");
                }

                total = new UsageSummaryRow("total", rows.Sum(r => r.Count), rows.Sum(r => r.Units), rows.Sum(r => r.Charged), rows.Sum(r => r.NeedsReview));
            }
            catch (OverflowException)
            {
                // Sessions may count up to 10^15 units each: thousands of them add up past what a figure here can hold.
                return LedgerProblems.Validation("from", "The usage in this range adds up past 9223372036854775807 units; ask for a shorter range.");
            }

            if (format == "csv")
            {
                var csv = new StringBuilder().Append(groupBy).Append(",count,units,charged,needsReview\n");
                foreach (var row in rows.Append(total))
                {
                    csv.Append(CultureInfo.InvariantCulture, $"{Quote(row.Key)},{row.Count},{row.Units},{row.Charged},{row.NeedsReview}\n");
                }

                http.Response.Headers.ContentDisposition = $"attachment; filename=\"usage-{groupBy}.csv\"";
                return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
            }

            return Results.Json(new UsageResponse(id, from, to, groupBy, rows, total), GatewayJsonContext.Default.UsageResponse);
        });
    }

    private static readonly DateTimeOffset EarliestInstant = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset LatestInstant = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset? Instant(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            // Bounded so that the default range before it, and the store's milliseconds, stay representable.
            if (instant >= EarliestInstant && instant <= LatestInstant)
            {
                return instant;
            }

            errors[field] = [$"{field} must be from 1970-01-01 to 9000-01-01."];
            return null;
        }

        errors[field] = [$"{field} is an ISO 8601 date or date-time (e.g. 2026-11-01 or 2026-11-01T00:00:00Z)."];
        return null;
    }

    /// <summary>
    /// A text cell, quoted, and with a leading apostrophe when it begins as a spreadsheet formula would (<c>= + - @</c>,
    /// tab, return): quotes alone do not stop a spreadsheet from evaluating one. Kinds are ids today (a leading '-' is
    /// allowed), so this holds whatever the alphabet becomes.
    /// </summary>
    private static string Quote(string value)
    {
        var cell = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
