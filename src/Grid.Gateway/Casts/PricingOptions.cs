using Grid.Contracts.Casts;
using Grid.Ledger.Credits;

namespace Grid.Gateway.Casts;

/// <summary>
/// What casts cost and how they are held (<c>Grid:Pricing</c>): a price table of job kinds (a quote clients can show
/// before they start), the markup on provider costs, the default buffer and timeouts.
/// </summary>
public sealed class PricingOptions
{
    public const string SectionName = "Grid:Pricing";

    /// <summary>Credits per job kind, e.g. <c>upscale: 30</c>.</summary>
    public Dictionary<string, long> Kinds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>User price = provider cost times this, rounded up (never below the cost).</summary>
    public decimal Markup { get; set; } = 2.0m;

    /// <summary>Held on top of the quote, in percent, rounded up.</summary>
    public int BufferPercent { get; set; } = 20;

    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromDays(1);

    public void Validate()
    {
        var failures = new List<string>();
        if (Markup <= 0 || Markup > 1_000)
        {
            failures.Add("Grid:Pricing:Markup must be above 0 and at most 1000.");
        }

        if (BufferPercent is < 0 or > 1_000)
        {
            failures.Add("Grid:Pricing:BufferPercent must be 0 to 1000.");
        }

        if (DefaultTimeout < TimeSpan.FromSeconds(1) || MaxTimeout < DefaultTimeout || MaxTimeout > TimeSpan.FromDays(29))
        {
            failures.Add("Grid:Pricing: DefaultTimeout at least 1 s, MaxTimeout at least DefaultTimeout and at most 29 days.");
        }

        failures.AddRange(Kinds.Where(k => k.Value <= 0 || k.Value > CreditMath.MaxAmount).Select(k => $"Grid:Pricing:Kinds:{k.Key} must be a positive number of credits, at most {CreditMath.MaxAmount}."));
        if (BufferPercent is >= 0 and <= 1_000)
        {
            // Listed prices no start could hold (with the buffer, past any amount) would fail every quote of the price list.
            failures.AddRange(Kinds.Where(k => k.Value > 0 && k.Value <= CreditMath.MaxAmount && CastPricing.HoldFor(k.Value, BufferPercent) > CreditMath.MaxAmount)
                .Select(k => $"Grid:Pricing:Kinds:{k.Key} plus the {BufferPercent}% buffer is more than {CreditMath.MaxAmount} credits."));
        }
        if (failures.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(SectionName, typeof(PricingOptions), failures);
        }
    }
}
