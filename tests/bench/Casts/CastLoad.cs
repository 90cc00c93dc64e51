using System.Diagnostics;
using System.Globalization;
using Grid.Bench.Ledger;

namespace Grid.Bench.Casts;

/// <summary>
/// Drives a side with N closed-loop clients for a fixed time: each picks a random account, starts a cast holding
/// the hold amount and completes it at a random price from 1 to the hold, then goes again. One lifecycle is one
/// operation of the result, timed from its start to the capture's acknowledgement.
/// </summary>
/// <param name="serverProcessorTime">Reads the database server's CPU time so far, when it can (else null).</param>
public sealed class CastLoad(int accounts, int clients, long hold, Func<TimeSpan?> serverProcessorTime)
{
    private int _runs;

    public async Task<RunResult> ClosedAsync(ICastSide side, CastCharges charges, TimeSpan duration)
    {
        // Run numbers keep cast ids unique across every run of the process.
        var run = Interlocked.Increment(ref _runs);
        var tallies = Enumerable.Range(0, clients).Select(_ => new ClientTally()).ToArray();
        var processorBefore = Environment.CpuUsage.TotalTime;
        var serverBefore = serverProcessorTime();
        var collectionsBefore = GC.CollectionCount(0);
        var pauseBefore = GC.GetTotalPauseDuration();
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, clients)
            .Select(client => Task.Run(() => ClientAsync(side, charges, run, client, tallies[client], end)));
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return RunResult.From(
            tallies, elapsed, Environment.CpuUsage.TotalTime - processorBefore, serverProcessorTime() - serverBefore,
            GC.CollectionCount(0) - collectionsBefore, GC.GetTotalPauseDuration() - pauseBefore);
    }

    private async Task ClientAsync(ICastSide side, CastCharges charges, int run, int client, ClientTally tally, long end)
    {
        var random = new Random((run * 7_919) + client);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"r{run}c{client}n");
        for (var n = 0L; ; n++)
        {
            var start = Stopwatch.GetTimestamp();
            if (start >= end)
            {
                return;
            }

            var account = random.Next(accounts);
            var price = random.NextInt64(1, hold + 1);
            try
            {
                var acknowledged = await side.LifecycleAsync(account, prefix + n.ToString(CultureInfo.InvariantCulture), hold, price);
                tally.Answered(start, acknowledged);
                if (acknowledged)
                {
                    charges.Acknowledge(account, price);
                }
            }
            catch (Exception failure)
            {
                tally.Failure(failure);
                charges.Fail();
            }
        }
    }
}
