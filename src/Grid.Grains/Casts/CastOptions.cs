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

    /// <summary>How long an ending with a second ledger step waits before the sweeper finishes it, should its caller not.</summary>
    public TimeSpan EndingRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        var failures = new List<string>();
        if (SweepPeriod < TimeSpan.FromMilliseconds(100) || SweepPeriod > TimeSpan.FromHours(1))
        {
            failures.Add($"{SectionName}:SweepPeriod must be from 00:00:00.1 to 01:00:00.");
        }

        if (SweepBatch is < 1 or > 1_000)
        {
            failures.Add($"{SectionName}:SweepBatch must be from 1 to 1000.");
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
