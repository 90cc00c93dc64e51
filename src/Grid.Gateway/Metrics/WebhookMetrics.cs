using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Grid.Gateway.Metrics;

/// <summary>
/// Webhook deliveries received, by provider, event type and outcome (<c>grid_webhooks_total</c>). The type is
/// <c>unverified</c> until the signature holds, so forged deliveries cannot invent series; verified types are
/// the provider's own short list.
/// </summary>
public sealed class WebhookMetrics
{
    public const string MetricName = "grid_webhooks_total";
    public const string ProviderTag = "provider";
    public const string TypeTag = "type";
    public const string OutcomeTag = "outcome";
    public const string Unverified = "unverified";

    private readonly Counter<long> _deliveries;

    public WebhookMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(HttpMetrics.MeterName);
        _deliveries = meter.CreateCounter<long>("grid.webhooks", unit: "{delivery}", description: "Webhook deliveries received, by provider, event type (unverified before the signature holds) and outcome.");
    }

    public void Received(string provider, string type, string outcome) =>
        _deliveries.Add(1, new TagList { { ProviderTag, provider }, { TypeTag, type }, { OutcomeTag, outcome } });
}
