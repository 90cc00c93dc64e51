using Grid.Runtime.Membership;

namespace Grid.Gateway.Dashboard;

/// <summary>
/// What one tick gathered: this silo's reading, every other silo in the view with its reading (null: no answer), and
/// the configured chain ids (so a chain whose watcher has not reported yet still shows).
/// </summary>
internal sealed record ClusterSample(
    SiloReading Self,
    IReadOnlyList<(MembershipEntry Silo, SiloReading? Reading)> Others,
    IReadOnlyList<ulong> ConfiguredChains);
