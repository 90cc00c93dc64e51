using System.Diagnostics;

namespace Grid.Bench.Ledger;

/// <summary>One client's record of a run: each answered operation's latency, refusals and failures.</summary>
public sealed class ClientTally
{
    public List<long> Latencies { get; } = new(capacity: 16_384);

    /// <summary>Open loop only: how late operations started after their scheduled time when the client was idle (the harness's own timer lag).</summary>
    public List<long> StartLags { get; } = [];

    public long Acknowledged { get; private set; }

    public long Refused { get; private set; }

    public long Failed { get; private set; }

    public Exception? FirstFailure { get; private set; }

    /// <summary>Records an answer that came now, for an operation charged from <paramref name="chargedFrom"/> (a Stopwatch timestamp).</summary>
    public void Answered(long chargedFrom, bool acknowledged)
    {
        Latencies.Add(Stopwatch.GetTimestamp() - chargedFrom);
        if (acknowledged)
        {
            Acknowledged++;
        }
        else
        {
            Refused++;
        }
    }

    public void Failure(Exception failure)
    {
        Failed++;
        FirstFailure ??= failure;
    }
}
