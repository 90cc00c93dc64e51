using System.Globalization;
using System.Text.Json;
using Grid.Gateway.Tests.Support;
using Grid.Stripe.TestKit;
using Grid.Stripe.TestKit.Events;
using Grid.Stripe.TestKit.Objects;
using Xunit.Abstractions;

namespace Grid.Gateway.Tests.Payments;

/// <summary>
/// Property: a realistic set of Stripe events for several payments (paid at once or after a delay, refunded in part,
/// disputed and won or lost) delivered over HTTP in any order, with random duplicates, leaves every account with the
/// balance and the journal entries that the canonical order leaves, and applies each event once. Each trial plays
/// the same script twice, on two sets of accounts: once in order, once shuffled with duplicates.
/// </summary>
public sealed class CardEventOrderPropertyTests(CardSiloFixture card, ITestOutputHelper output) : IClassFixture<CardSiloFixture>
{
    private const int Trials = 8;
    private const int Accounts = 3;
    private const int PaymentsPerAccount = 2;
    private static readonly string[] Packages = ["credits-500", "credits-2000", "credits-5000", "credits-10000"];

    [Fact]
    public async Task Any_order_with_duplicates_ends_as_the_canonical_order()
    {
        var seed = Environment.GetEnvironmentVariable("GRID_CARD_PROPERTY_SEED") is { } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (GRID_CARD_PROPERTY_SEED reruns it)");
        var random = new Random(seed);
        for (var trial = 0; trial < Trials; trial++)
        {
            var script = Enumerable.Range(0, Accounts * PaymentsPerAccount).Select(_ => PaymentScript.Draw(random)).ToList();
            var canonical = await PlayAsync(trial, "in-order", script, deliveries => deliveries);
            var shuffled = await PlayAsync(trial, "shuffled", script, deliveries => ShuffleWithDuplicates(deliveries, random));
            for (var account = 0; account < Accounts; account++)
            {
                Assert.True(
                    canonical.Accounts[account] == shuffled.Accounts[account],
                    $"seed {seed}, trial {trial}, account {account}:\n in order: {canonical.Accounts[account]}\n shuffled: {shuffled.Accounts[account]}");
            }

            Assert.Equal(canonical.DistinctEvents, shuffled.DistinctEvents);
            Assert.Equal(canonical.DistinctEvents, canonical.ProcessedRows);
            Assert.Equal(shuffled.DistinctEvents, shuffled.ProcessedRows); // every distinct event recorded exactly once
        }
    }

    /// <summary>Creates the accounts and payments of one copy of the script, delivers its events in the order given, and reads the outcome.</summary>
    private async Task<PlayOutcome> PlayAsync(int trial, string copy, IReadOnlyList<PaymentScript> script, Func<List<string>, List<string>> order)
    {
        var prefix = $"prop-{Guid.NewGuid():N}"[..20];
        var accounts = new List<string>();
        for (var a = 0; a < Accounts; a++)
        {
            accounts.Add(await card.Api.CreateAccountAsync($"{prefix}-{a}"));
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal); // real ids -> the script's names for them
        var deliveries = new List<string>();
        for (var p = 0; p < script.Count; p++)
        {
            var account = accounts[p / PaymentsPerAccount];
            var (paymentId, session) = await card.StartCheckoutAsync(account, $"{copy}-{trial}-{p}", script[p].Package);
            names[paymentId] = $"P{p}";
            var paid = card.Stripe.CompleteCheckoutSession(session.Id);
            deliveries.AddRange(script[p].Events(card.Stripe, paid, disputeId => names[disputeId] = $"D{p}"));
        }

        var distinct = deliveries.Count;
        var answers = await card.DeliverAllAsync(order(deliveries));
        Assert.All(answers, answer => Assert.Contains(CardSiloFixture.Outcome(answer), new[] { "applied", "duplicate", "stale", "unmatched", "ignored" }));

        var states = new List<string>();
        foreach (var account in accounts)
        {
            var view = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance");
            var entries = (await card.Api.JournalAsync(account))
                .Select(e => Normalize(e, names))
                .Order(StringComparer.Ordinal);
            states.Add($"available {view.GetProperty("available").GetInt64()}, held {view.GetProperty("held").GetInt64()}; {string.Join(" | ", entries)}");
        }

        var rows = (await card.ProcessedEventsAsync()).Count(e => e.PaymentId is { } id && names.ContainsKey(id));
        return new PlayOutcome(states, distinct, rows);
    }

    /// <summary>An entry without what differs between copies: sequence and times, and real ids replaced by the script's names.</summary>
    private static string Normalize(JsonElement entry, IReadOnlyDictionary<string, string> names)
    {
        var text = $"{entry.GetProperty("kind").GetString()} {entry.GetProperty("amount").GetInt64()} released {entry.GetProperty("released").GetInt64()} " +
            $"op {entry.GetProperty("operationId").GetString()} ref {(entry.TryGetProperty("reference", out var reference) ? reference.ToString() : "")}";
        foreach (var (real, name) in names)
        {
            text = text.Replace(real, name, StringComparison.Ordinal);
        }

        return text;
    }

    private static List<string> ShuffleWithDuplicates(List<string> deliveries, Random random)
    {
        var sent = new List<string>(deliveries);
        foreach (var delivery in deliveries.Where(_ => random.NextDouble() < 0.3))
        {
            sent.Add(delivery); // Stripe delivers at least once: some twice
        }

        return sent.OrderBy(_ => random.Next()).ToList();
    }

    private sealed record PlayOutcome(IReadOnlyList<string> Accounts, int DistinctEvents, int ProcessedRows);

    /// <summary>What happens to one payment, drawn at random; its events in the order Stripe would make them.</summary>
    private sealed record PaymentScript(string Package, bool Delayed, long? RefundPercent, bool? DisputeWon, long DisputePercent, bool ChargeWithoutMetadata)
    {
        /// <summary>
        /// A dispute takes at most what a refund left: one that reaches into refunded money goes to review, and which of
        /// the two does depends on the order (<c>CardReversalTests</c> covers that).
        /// </summary>
        public static PaymentScript Draw(Random random)
        {
            var refund = random.Next(3) == 0 ? random.Next(1, 100) : (long?)null;
            return new(
                Packages[random.Next(Packages.Length)],
                Delayed: random.Next(3) == 0,
                RefundPercent: refund,
                DisputeWon: random.Next(3) switch { 0 => true, 1 => false, _ => null },
                DisputePercent: random.Next(1, 101 - (int)(refund ?? 0)),
                ChargeWithoutMetadata: random.Next(2) == 0);
        }

        public IEnumerable<string> Events(Grid.Stripe.TestKit.StandIn.StripeStandIn stripe, TestCheckoutSession paid, Action<string> nameDispute)
        {
            if (Delayed)
            {
                yield return StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid with { PaymentStatus = "unpaid" }, paid: false);
                yield return StripeEvents.CheckoutSessionAsyncPaymentSucceeded(StripeTestIds.Event(), paid);
            }
            else
            {
                yield return StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid);
            }

            var charge = stripe.Charge(stripe.PaymentIntent(paid.PaymentIntentId!)!.LatestChargeId!)!;
            if (ChargeWithoutMetadata)
            {
                charge = charge with { Metadata = new Dictionary<string, string>() }; // then only the PaymentIntent leads to the payment
            }

            if (RefundPercent is { } percent)
            {
                yield return StripeEvents.ChargeRefunded(StripeTestIds.Event(), charge with { AmountRefunded = Math.Max(1, charge.Amount * percent / 100) });
            }

            if (DisputeWon is { } won)
            {
                var dispute = new TestDispute
                {
                    Id = StripeTestIds.Dispute(), Amount = Math.Max(1, charge.Amount * DisputePercent / 100), Currency = charge.Currency,
                    ChargeId = charge.Id, PaymentIntentId = charge.PaymentIntentId,
                };
                nameDispute(dispute.Id);
                yield return StripeEvents.ChargeDisputeCreated(StripeTestIds.Event(), dispute);
                yield return StripeEvents.ChargeDisputeClosed(StripeTestIds.Event(), dispute, won);
            }
        }
    }
}
