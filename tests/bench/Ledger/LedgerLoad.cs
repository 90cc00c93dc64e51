using System.Diagnostics;
using System.Globalization;

namespace Grid.Bench.Ledger;

/// <summary>
/// Drives a side with N clients for a fixed time. Closed loop: each client sends its next request as soon as
/// the last is answered (peak throughput). Open loop: operations arrive at a fixed total rate, spread evenly
/// over the clients, and latency runs from each operation's scheduled start. A hold+capture request is two
/// operations, timed apart; the capture goes out once the hold is answered (open loop: also not before its slot).
/// </summary>
/// <param name="serverProcessorTime">Reads the database server's CPU time so far, when it can (else null).</param>
public sealed class LedgerLoad(LedgerWorkload workload, int clients, Func<TimeSpan?> serverProcessorTime)
{
    private static int s_runs;

    public Task<RunResult> ClosedAsync(ILedgerTarget target, TimeSpan duration) => RunAsync(target, duration, rate: null);

    public Task<RunResult> OpenAsync(ILedgerTarget target, TimeSpan duration, double rate) => RunAsync(target, duration, rate);

    private async Task<RunResult> RunAsync(ILedgerTarget target, TimeSpan duration, double? rate)
    {
        // Run numbers keep operation ids unique across every run of the process.
        var run = Interlocked.Increment(ref s_runs);
        var tallies = Enumerable.Range(0, clients).Select(_ => new ClientTally()).ToArray();
        var processorBefore = Environment.CpuUsage.TotalTime;
        var serverBefore = serverProcessorTime();
        var collectionsBefore = GC.CollectionCount(0);
        var pauseBefore = GC.GetTotalPauseDuration();
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var interval = rate is { } r ? (long)(clients * Stopwatch.Frequency / r) : 0;
        var workers = Enumerable.Range(0, clients).Select(client =>
        {
            var schedule = rate is null ? null : new ArrivalSchedule(started + (client * interval / clients), interval);
            return Task.Run(() => ClientAsync(target, run, client, tallies[client], schedule, end));
        });
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var processor = Environment.CpuUsage.TotalTime - processorBefore;
        return RunResult.From(
            tallies, elapsed, processor, serverProcessorTime() - serverBefore,
            GC.CollectionCount(0) - collectionsBefore, GC.GetTotalPauseDuration() - pauseBefore);
    }

    private async Task ClientAsync(ILedgerTarget target, int run, int client, ClientTally tally, ArrivalSchedule? schedule, long end)
    {
        var random = new Random((run * 7_919) + client);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"r{run}c{client}n");
        for (var n = 0L; ; n++)
        {
            var request = workload.Next(random);
            var start = schedule is null ? Stopwatch.GetTimestamp() : await schedule.NextAsync(tally);
            if (start >= end || Stopwatch.GetTimestamp() >= end)
            {
                return;
            }

            var id = prefix + n.ToString(CultureInfo.InvariantCulture);
            var account = request.Account;
            switch (request.Kind)
            {
                case RequestKind.HoldCapture:
                    var hold = id + "h";
                    if (await TimedAsync(() => target.HoldAsync(account, hold, request.Amount), start, tally))
                    {
                        // Captured even past the end: no run leaves holds open behind it.
                        var captureStart = schedule is null ? Stopwatch.GetTimestamp() : await schedule.NextAsync(tally);
                        await TimedAsync(() => target.CaptureAsync(account, id + "c", hold, request.Capture), captureStart, tally);
                    }
                    else
                    {
                        schedule?.Skip();
                    }

                    break;
                case RequestKind.Debit:
                    await TimedAsync(() => target.DebitAsync(account, id, request.Amount), start, tally);
                    break;
                default:
                    await TimedAsync(() => target.DepositAsync(account, id, request.Amount), start, tally);
                    break;
            }
        }
    }

    private static async Task<bool> TimedAsync(Func<Task<bool>> operation, long chargedFrom, ClientTally tally)
    {
        try
        {
            var acknowledged = await operation();
            tally.Answered(chargedFrom, acknowledged);
            return acknowledged;
        }
        catch (Exception failure)
        {
            tally.Failure(failure);
            return false;
        }
    }
}
