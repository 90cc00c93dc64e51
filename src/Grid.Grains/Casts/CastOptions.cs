using Microsoft.Extensions.Options;

namespace Grid.Grains.Casts;

/// <summary>How cast timeouts and cut-short endings are found (<c>Grid:Casts</c>).</summary>
public sealed class CastOptions
{
    public const string SectionName = "Grid:Casts";

    /// <summary>How often the sweeper looks for casts past their timeout or with an ending cut short; a cast times out within this of its timeout.</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Casts one sweep handles at most (the earliest due first); the rest wait for the next sweep.</summary>
    public int SweepBatch { get; set; } = 500;

    /// <summary>
    /// How long a cast the sweeper could not finish waits before it is asked again: it goes behind the casts due
    /// meanwhile, so a few that keep failing cannot fill every sweep's batch, and each is asked at this pace.
    /// </summary>
    public TimeSpan SweepRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an ending with a second ledger step waits before the sweeper finishes it, should its caller not.</summary>
    public TimeSpan EndingRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        var failures = new List<string>();
        // At most a minute: the ledger's own expiry of a cast's hold, 5 minutes after its timeout, is the backstop and
        // must not come before the sweep that times the cast out (a completion then would find no hold to charge).
        if (SweepPeriod < TimeSpan.FromMilliseconds(100) || SweepPeriod > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{SectionName}:SweepPeriod must be from 00:00:00.1 to 00:01:00.");
        }

        if (SweepBatch is < 1 or > 1_000)
        {
            failures.Add($"{SectionName}:SweepBatch must be from 1 to 1000.");
        }

        if (SweepRetryDelay < TimeSpan.FromMilliseconds(100) || SweepRetryDelay > TimeSpan.FromHours(24))
        {
            failures.Add($"{SectionName}:SweepRetryDelay must be from 00:00:00.1 to 1.00:00:00.");
        }

        if (EndingRetryDelay < TimeSpan.Zero || EndingRetryDelay > TimeSpan.FromHours(1))
        {
            failures.Add($"{SectionName}:EndingRetryDelay must be from 00:00:00 to 01:00:00.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(CastOptions), failures);
        }
    }
}
