using System.Text.RegularExpressions;
using Grid.Contracts.Payments;
using Grid.Stripe.Api;

namespace Grid.Gateway.Payments;

/// <summary>
/// Card top-ups (<c>Grid:TopUps</c>): the packages on sale, the currency, how many credits a cent buys for a
/// custom amount, its bounds, and where Checkout sends the payer back to.
/// </summary>
public sealed partial class TopUpOptions
{
    public const string SectionName = "Grid:TopUps";

    /// <summary>Lower-case ISO 4217 code every package and custom amount is priced in.</summary>
    public string Currency { get; set; } = "usd";

    /// <summary>Credits per cent for a custom amount (DESIGN.md: 1 credit = $0.001, so 10 per cent).</summary>
    public long CreditsPerCent { get; set; } = 10;

    /// <summary>Stripe's smallest card charge in USD is 50 cents.</summary>
    public long MinAmountCents { get; set; } = 50;

    public long MaxAmountCents { get; set; } = 100_000;

    /// <summary>Where Checkout sends a payer who paid; <c>{PAYMENT_ID}</c> is replaced. Default: the payment's own status URL.</summary>
    public string? SuccessUrl { get; set; }

    /// <summary>Where Checkout sends a payer who went back; <c>{PAYMENT_ID}</c> is replaced. Default: as <see cref="SuccessUrl"/>.</summary>
    public string? CancelUrl { get; set; }

    /// <summary>Replaced by configuration when any package is configured (a configured list replaces, never merges).</summary>
    public List<TopUpPackage> Packages { get; set; } = [];

    public TopUpPackage? Find(string id) => Packages.FirstOrDefault(p => p.Id == id);

    /// <summary>Throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> naming every setting that is wrong.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!CurrencyPattern().IsMatch(Currency ?? ""))
        {
            problems.Add("Currency must be a lower-case ISO 4217 code such as usd");
        }

        if (CreditsPerCent is < 1 or > 1_000_000)
        {
            problems.Add("CreditsPerCent must be from 1 to 1,000,000");
        }

        if (MinAmountCents < 1 || MaxAmountCents < MinAmountCents || MaxAmountCents > 99_999_999)
        {
            problems.Add("MinAmountCents must be at least 1 and at most MaxAmountCents (at most 99,999,999, Stripe's limit)");
        }

        foreach (var (url, name) in new[] { (SuccessUrl, nameof(SuccessUrl)), (CancelUrl, nameof(CancelUrl)) })
        {
            // Judged as Stripe will judge it once a payment id fills it in: a configured URL is never what a request fails on.
            if (url is not null && !StripeReturnUrls.IsValid(url.Replace("{PAYMENT_ID}", new string('x', PaymentIds.Length), StringComparison.Ordinal)))
            {
                problems.Add($"{name} must be an absolute http or https URL of at most 5,000 characters with its payment id filled in");
            }
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var package in Packages)
        {
            if (!PackageIdPattern().IsMatch(package.Id ?? "") || !ids.Add(package.Id!))
            {
                problems.Add($"package id '{package.Id}' must be unique, 1 to 64 characters of a-z, 0-9, '_' or '-'");
            }

            if (package.Credits < 1 || package.PriceCents < MinAmountCents || package.PriceCents > 99_999_999)
            {
                problems.Add($"package '{package.Id}' needs credits >= 1 and a price from MinAmountCents to 99,999,999 cents");
            }
        }

        if (problems.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(
                SectionName, typeof(TopUpOptions), [$"Invalid {SectionName} settings: " + string.Join("; ", problems) + "."]);
        }
    }

    [GeneratedRegex("^[a-z]{3}$")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex PackageIdPattern();
}
