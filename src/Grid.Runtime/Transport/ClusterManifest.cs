using Grid.Runtime.Membership;

namespace Grid.Runtime.Transport;

/// <summary>
/// What an embedded client needs from a silo to call grains itself (<c>GET /grid/v1/cluster</c> on the
/// cluster port): the silo's view, and the grain type behind each grain interface (grain classes live only
/// in silos, so clients cannot know type names by themselves).
/// </summary>
public sealed record ClusterManifest(IReadOnlyList<MembershipEntry> Silos, IReadOnlyDictionary<string, string> GrainTypes);
