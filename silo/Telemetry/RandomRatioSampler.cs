using OpenTelemetry.Trace;

namespace Grid.Silo.Telemetry;

/// <summary>
/// Samples a ratio of spans by its own random draw. For requests that arrive with a trace of their own: the trace id is
/// then the client's to choose, and a sampler that decides from the trace id (as the ratio sampler does) samples every
/// request whose id the client picked to pass.
/// </summary>
internal sealed class RandomRatioSampler(double ratio) : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        new(Random.Shared.NextDouble() < ratio ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
}
