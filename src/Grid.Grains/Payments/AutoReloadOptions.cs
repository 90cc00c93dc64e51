namespace Grid.Grains.Payments;

/// <summary>
/// How auto-reload charges: the price of credits (read from <c>Grid:TopUps</c>, as top-ups use) and the backoff
/// and limit on failures (<c>Grid:AutoReload</c>).
/// </summary>
public sealed class AutoReloadOptions
{
    public const string PricingSectionName = "Grid:TopUps";
    public const string SectionName = "Grid:AutoReload";

    public string Currency { get; set; } = "usd";

    public long CreditsPerCent { get; set; } = 10;

    /// <summary>The smallest charge (Stripe's card minimum in USD).</summary>
    public long MinAmountCents { get; set; } = 50;

    public long MaxAmountCents { get; set; } = 100_000;

    /// <summary>Failed charges in a row after which auto-reload turns itself off.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>The wait after the first failure; it doubles with each further one.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often a charge under way is checked on, in case its payment's word was lost.</summary>
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a charge may stay pending (started, no word of how it ended) before auto-reload lets it go and turns
    /// itself off: longer than Stripe retries a webhook, so only a delivery lost for good (an endpoint disabled or not
    /// subscribed to <c>payment_intent.*</c>) gets here. Its webhook, should it come after all, still credits it.
    /// </summary>
    public TimeSpan MaxPending { get; set; } = TimeSpan.FromDays(4);

    /// <summary>Throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> naming every bad setting.</summary>
    public void Validate()
    {
        var failures = new List<string>();
        if (MaxFailures < 1)
        {
            failures.Add($"{SectionName}:MaxFailures must be at least 1.");
        }

        if (BaseBackoff <= TimeSpan.Zero || MaxBackoff < BaseBackoff || MaxBackoff > TimeSpan.FromDays(30))
        {
            failures.Add($"{SectionName}: BaseBackoff must be positive, and MaxBackoff at least BaseBackoff and at most 30 days.");
        }

        // A reminder's period: a check every moment would flood the grain, and none at all cannot be registered.
        if (CheckPeriod < TimeSpan.FromSeconds(1) || CheckPeriod > TimeSpan.FromDays(1))
        {
            failures.Add($"{SectionName}:CheckPeriod must be from 1 second to 1 day.");
        }

        if (MaxPending <= CheckPeriod)
        {
            failures.Add($"{SectionName}:MaxPending must be longer than CheckPeriod.");
        }

        if (failures.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(SectionName, typeof(AutoReloadOptions), failures);
        }
    }

    public TimeSpan BackoffAfter(int failures) =>
        failures <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, BaseBackoff.Ticks * (1L << Math.Min(failures - 1, 30))));
}
